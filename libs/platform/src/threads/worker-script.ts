import { extname, join } from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * How to start a worker thread on `file`. From a built service the script is a .js file and
 * runs as it is; from source (CLI, benchmarks, tests) it is a .ts file, which the worker
 * compiles on load as its parent does (SWC, with the repository's tsconfig unless the parent
 * names another).
 *
 * The thread inherits node's command line unless it must be given another: Node refuses V8's
 * flags (`--max-old-space-size`, `--no-memory-reducer`, `--trace-gc`…) in an `execArgv` it is
 * handed (ERR_WORKER_INVALID_EXEC_ARGV), though it accepts them inherited, and V8's flags hold
 * for every thread anyway. So a service started as `node --max-old-space-size=6144 main.js`
 * starts its threads. Only code run from source by a parent without the compiler hook (jest)
 * hands its threads a command line: the hook, and source maps if the parent has them.
 */
export function workerScriptOptions(file: string): Pick<WorkerOptions, 'execArgv' | 'env'> {
  if (extname(file) !== '.ts') return {};
  // libs/platform/{src,dist}/threads: the repository's root is four folders up
  const env = { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? join(__dirname, '..', '..', '..', '..', 'tsconfig.json') };
  if (process.execArgv.some((arg) => arg.includes('@swc-node/register'))) return { env };
  const sourceMaps = process.execArgv.includes('--enable-source-maps') ? ['--enable-source-maps'] : [];
  return { execArgv: [...sourceMaps, '-r', '@swc-node/register'], env };
}
