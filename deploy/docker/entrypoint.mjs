// Container entrypoint: runs one hub service, chosen by the SERVICE environment variable
// (or the first argument: `docker run data-hub mdm`), from its build output
// services/<name>/dist/main.js, inside this same node process, so that SIGTERM reaches the
// service's own graceful shutdown. SERVICE_NAME and HTTP_PORT default to the service's
// name and port from scripts/lib/services.mjs (the list `npm run stack:up` uses).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { services } from '../../scripts/lib/services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const name = process.argv[2] || process.env.SERVICE;
const known = services.map((service) => service.name).join(', ');

if (!name) {
  process.stderr.write(`set SERVICE (or pass the service as the first argument): one of ${known}\n`);
  process.exit(64);
}
const service = services.find((candidate) => candidate.name === name);
const main = join(root, `services/${name}/dist/main.js`);
if (!/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(main)) {
  process.stderr.write(`unknown service "${name}": one of ${known}\n`);
  process.exit(64);
}

process.env.SERVICE = name;
process.env.SERVICE_NAME ||= name;
if (!process.env.HTTP_PORT && service) process.env.HTTP_PORT = String(service.port);
// The service sees the arguments a plain `node services/<name>/dist/main.js` would.
process.argv.splice(2);
await import(pathToFileURL(main).href);
