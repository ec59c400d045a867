import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { QualityProfile } from '../quality/quality-profile';
import type { BuildJob, WorkerReply } from './build-job';
import { unpackBatch } from './built-wire';
import type { BuiltRow, DryRunCounts } from './row-builder';
import { DeliveryError } from './source-reader';

export type WorkerBuildEvent = { kind: 'batch'; rows: BuiltRow[] } | { kind: 'profile'; counts: QualityProfile };

function startWorker(job: BuildJob): Worker {
  // From the built service the worker is a .js file; from source (CLI, benchmarks, tests) a
  // .ts file, which the worker compiles on load as its parent does.
  const fromSource = extname(__filename) === '.ts';
  const registered = process.execArgv.some((arg) => arg.includes('@swc-node/register'));
  return new Worker(join(__dirname, `build-worker${extname(__filename)}`), {
    workerData: job,
    execArgv: fromSource && !registered ? [...process.execArgv, '-r', '@swc-node/register'] : process.execArgv,
    env: fromSource ? { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? join(__dirname, '..', '..', '..', '..', 'tsconfig.json') } : process.env,
  });
}

function failureOf(reply: Extract<WorkerReply, { type: 'error' }>): Error {
  if (reply.name === 'DeliveryError' && reply.code) return new DeliveryError(reply.code, reply.message);
  const error = new Error(reply.message);
  error.name = reply.name;
  if (reply.stack) error.stack = reply.stack;
  return error;
}

/** Replies of a worker thread running `job`, in order; the worker is stopped when the caller stops reading. */
async function* replies(job: BuildJob, onBytes?: (bytes: number) => void): AsyncGenerator<Exclude<WorkerReply, { type: 'bytes' }>, void, void> {
  const worker = startWorker(job);
  const queue: Exclude<WorkerReply, { type: 'bytes' }>[] = [];
  let failed: Error | undefined;
  let notify: (() => void) | undefined;
  const wakeUp = () => {
    notify?.();
    notify = undefined;
  };
  worker.on('message', (reply: WorkerReply) => {
    if (reply.type === 'bytes') onBytes?.(reply.bytes);
    else queue.push(reply);
    wakeUp();
  });
  worker.on('error', (error) => {
    failed ??= error;
    wakeUp();
  });
  worker.on('exit', (code) => {
    failed ??= new Error(`the build worker stopped (exit code ${code}) before it finished`);
    wakeUp();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failed) await new Promise<void>((resolve) => (notify = resolve));
      const reply = queue.shift();
      if (!reply) throw failed!;
      if (reply.type === 'error') throw failureOf(reply);
      yield reply;
      if (reply.type === 'done') return;
      worker.postMessage('more');
    }
  } finally {
    await worker.terminate();
  }
}

/** Built batches of a delivery file from a worker thread, in file order, then the quality profile of its rows. */
export async function* buildInWorker(job: Omit<BuildJob, 'mode'>, onBytes?: (bytes: number) => void): AsyncGenerator<WorkerBuildEvent> {
  for await (const reply of replies({ ...job, mode: 'build' }, onBytes)) {
    if (reply.type === 'batch') yield { kind: 'batch', rows: unpackBatch(reply.batch) };
    else if (reply.type === 'done' && reply.profile) yield { kind: 'profile', counts: reply.profile };
  }
}

/** The pre-check's counts of a delivery file, from a worker thread. */
export async function countInWorker(job: Omit<BuildJob, 'mode'>, onBytes?: (bytes: number) => void): Promise<DryRunCounts> {
  for await (const reply of replies({ ...job, mode: 'count' }, onBytes)) {
    if (reply.type === 'done' && reply.counts) return reply.counts;
  }
  throw new Error('the build worker finished without counts');
}
