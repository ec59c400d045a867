// Docker HEALTHCHECK: GET /health/live on this container's service. The slim image has no
// curl, so node's fetch does it. The port is HTTP_PORT, else the default port of SERVICE
// (scripts/lib/services.mjs); when the service was chosen by argument instead of SERVICE,
// every known port is tried (only one service listens in a container).
import { services } from '../../scripts/lib/services.mjs';

const service = services.find((candidate) => candidate.name === process.env.SERVICE);
const ports = process.env.HTTP_PORT ? [process.env.HTTP_PORT] : service ? [service.port] : services.map((s) => s.port);

async function live(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(4000) });
    return response.ok;
  } catch {
    return false;
  }
}

for (const port of ports) if (await live(port)) process.exit(0);
process.exit(1);
