// The demo flow, as far as the pipeline exists: a synthetic city is generated and its
// partner feeds are described; ingest (issue 4) will load them through the running stack.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const out = join(root, '.run', 'demo', 'city');
if (!existsSync(join(out, 'manifest.json'))) {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'run-ts.mjs'), 'libs/synthetic/src/cli/datagen.ts', '--scale', 'small', '--seed', '1', '--out', out], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
process.stdout.write(`\nsynthetic city written to ${out} (feeds, deliveries, truth files, manifest.json)\n`);
process.stdout.write('services: portal-api http://127.0.0.1:3000  ingest http://127.0.0.1:3001  mdm http://127.0.0.1:3002\n');
process.stdout.write('each service: /health/ready, /metrics; logs in .run/logs/\n');
