// Runs a TypeScript entry point (CLI, benchmark, tool) straight from source with SWC, so
// commands work from a fresh clone without a build step. Services in the stack run from
// their built output instead.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.mjs <file.ts> [args…]\n');
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '-r', '@swc-node/register', join(root, entry), ...args],
  {
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.json'), TS_NODE_PROJECT: join(root, 'tsconfig.json') },
  },
);
process.exit(result.status ?? 1);
