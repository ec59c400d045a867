import { extname, join } from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * How to start a worker thread on `file`. From a built service the script is a .js file and
 * runs as it is; from source (CLI, benchmarks, tests) it is a .ts file, which the worker
 * compiles on load as its parent does (SWC, with the repository's tsconfig unless the parent
 * names another).
 */
export function workerScriptOptions(file: string): Pick<WorkerOptions, 'execArgv' | 'env'> {
  if (extname(file) !== '.ts') return { execArgv: process.execArgv, env: process.env };
  const registered = process.execArgv.some((arg) => arg.includes('@swc-node/register'));
  return {
    execArgv: registered ? process.execArgv : [...process.execArgv, '-r', '@swc-node/register'],
    // libs/platform/{src,dist}/threads: the repository's root is four folders up
    env: { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? join(__dirname, '..', '..', '..', '..', 'tsconfig.json') },
  };
}
