import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerScriptOptions } from '@hub/platform';
import type { QualityProfile } from '../quality/quality-profile';
import type { BuildJob, WorkerCommand, WorkerReply } from './build-job';
import { unpackBatch } from './built-wire';
import type { BuiltRow, DryRunCounts } from './row-builder';
import { DeliveryError, firstLineEnd, lineAlignedParts, readCsvHeader } from './source-reader';

export type WorkerBuildEvent = { kind: 'batch'; rows: BuiltRow[] } | { kind: 'profile'; counts: QualityProfile };

let started = 0;
let alive = 0;

/** Build workers this process has started (each costs about a second; see below). */
export function buildWorkersStarted(): number {
  return started;
}

/** Build workers not yet stopped: at work, or kept idle for the next job. */
export function buildWorkersAlive(): number {
  return alive;
}

function startWorker(): Worker {
  started++;
  alive++;
  // the built worker from the built service, the TypeScript one from source (CLI, benchmarks, tests)
  const file = join(__dirname, `build-worker${extname(__filename)}`);
  const worker = new Worker(file, workerScriptOptions(file));
  // an idle worker that fails is simply not reused (an 'error' without a listener would throw here)
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    alive--;
    forget(worker);
  });
  return worker;
}

/**
 * Starting a worker costs about a second (modules, feed configurations), so a worker that
 * finished a job cleanly waits for the next one: one is kept, unreferenced (it does not keep
 * the process alive) and stopped after a while unused. Loads that run at the same time each
 * get a worker of their own.
 */
const IDLE_WORKER_MS = 60_000;
let idle: { worker: Worker; timer: NodeJS.Timeout } | undefined;

function forget(worker: Worker): void {
  if (idle?.worker !== worker) return;
  clearTimeout(idle.timer);
  idle = undefined;
}

function acquireWorker(): Worker {
  const kept = idle;
  if (!kept) return startWorker();
  forget(kept.worker);
  kept.worker.ref();
  return kept.worker;
}

function releaseWorker(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const timer = setTimeout(() => {
    forget(worker);
    void worker.terminate();
  }, IDLE_WORKER_MS);
  timer.unref();
  idle = { worker, timer };
}

/** Stops the worker kept for the next job; says whether there was one (a clean shutdown; not needed for the process to exit). */
export async function stopIdleBuildWorker(): Promise<boolean> {
  const kept = idle;
  if (!kept) return false;
  forget(kept.worker);
  await kept.worker.terminate();
  return true;
}

function failureOf(reply: Extract<WorkerReply, { type: 'error' }>): Error {
  if (reply.name === 'DeliveryError' && reply.code) return new DeliveryError(reply.code, reply.message);
  const error = new Error(reply.message);
  error.name = reply.name;
  if (reply.stack) error.stack = reply.stack;
  return error;
}

/**
 * Replies of a worker thread running `job`, in order. A worker whose job ended with its last
 * reply (done or error) may serve the next job; one whose caller stopped reading early is
 * stopped, since it may still be mid-file.
 */
async function* replies(job: BuildJob, onBytes?: (bytes: number) => void, signal?: AbortSignal): AsyncGenerator<Exclude<WorkerReply, { type: 'bytes' }>, void, void> {
  signal?.throwIfAborted();
  const worker = acquireWorker();
  const queue: Exclude<WorkerReply, { type: 'bytes' }>[] = [];
  let failed: Error | undefined;
  let finished = false;
  let notify: (() => void) | undefined;
  const wakeUp = () => {
    notify?.();
    notify = undefined;
  };
  const onMessage = (reply: WorkerReply) => {
    if (reply.type === 'bytes') onBytes?.(reply.bytes);
    else queue.push(reply);
    wakeUp();
  };
  const onError = (error: Error) => {
    failed ??= error;
    wakeUp();
  };
  const onExit = (code: number) => {
    failed ??= new Error(`the build worker stopped (exit code ${code}) before it finished`);
    wakeUp();
  };
  // a job given up on (another part of the same count failed) stops its worker mid-file
  const onAbort = () => {
    failed ??= new Error('the job was given up');
    wakeUp();
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  signal?.addEventListener('abort', onAbort);
  const command = (message: WorkerCommand) => worker.postMessage(message);
  command({ type: 'job', job });
  try {
    for (;;) {
      while (queue.length === 0 && !failed) await new Promise<void>((resolve) => (notify = resolve));
      const reply = queue.shift();
      if (!reply) throw failed!;
      if (reply.type === 'error') {
        finished = true;
        throw failureOf(reply);
      }
      if (reply.type === 'done') finished = true;
      yield reply;
      if (reply.type === 'done') return;
      command({ type: 'more' });
    }
  } finally {
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    signal?.removeEventListener('abort', onAbort);
    if (finished && !failed) releaseWorker(worker);
    else await worker.terminate();
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
export async function countInWorker(job: Omit<BuildJob, 'mode'>, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<DryRunCounts> {
  for await (const reply of replies({ ...job, mode: 'count' }, onBytes, signal)) {
    if (reply.type === 'done' && reply.counts) return reply.counts;
  }
  throw new Error('the build worker finished without counts');
}

/** Below this size a file is counted by one worker: starting another costs about a second. */
export const PARALLEL_COUNT_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Reasons that say records were cut at a place that depends on where reading began: the
 * oversized records a reader gives up on part-way (csv-parse drops the rest of its chunk).
 */
const CUT_WHERE_READING_BEGAN = new Set(['INGEST.CSV_MAX_RECORD_SIZE', 'INGEST.RECORD_TOO_LARGE']);
/** A part that ends inside quotes did not end where a record ends (harmless for the last part: the file ends there too). */
const ENDED_INSIDE_QUOTES = 'INGEST.CSV_QUOTE_NOT_CLOSED';

function sumCounts(parts: readonly DryRunCounts[]): DryRunCounts {
  const total: DryRunCounts = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, rejectsByReason: {} };
  for (const part of parts) {
    total.rows += part.rows;
    total.accepted += part.accepted;
    total.rejected += part.rejected;
    total.duplicates += part.duplicates;
    total.withdrawn += part.withdrawn;
    for (const [code, count] of Object.entries(part.rejectsByReason)) total.rejectsByReason[code] = (total.rejectsByReason[code] ?? 0) + count;
  }
  return total;
}

/** Whether the parts' counts are those of reading the file whole (see countInWorkers). */
function partsAgreeWithWhole(parts: readonly DryRunCounts[]): boolean {
  return parts.every((part, index) => {
    const codes = Object.keys(part.rejectsByReason);
    return !codes.some((code) => CUT_WHERE_READING_BEGAN.has(code)) && (index === parts.length - 1 || !codes.includes(ENDED_INSIDE_QUOTES));
  });
}

/**
 * The pre-check's counts of a delivery file, from up to `threads` workers side by side, each
 * counting a part of the file that starts at a line (the pre-check is otherwise the one phase
 * of a load in which a core sits idle). The counts are always those of reading the file whole:
 * - later parts parse as the whole file's parser would, with its header, and ending records
 *   only at the line end it chose on the first line (parts start after one);
 * - a CSV line end may lie inside a quoted field: a part other than the last that ended inside
 *   quotes did not end at a record, and an oversized record is cut where reading began, so
 *   either sends the file to one worker to be counted again;
 * - so does any failure of a part (the other parts are stopped), so that a file that cannot be
 *   read fails with the whole file's first error.
 * Runs after the header check, which quarantines a file whose header cannot be read.
 */
export async function countInWorkers(
  job: Omit<BuildJob, 'mode'>,
  options: { threads?: number; minBytes?: number; onBytes?: (bytes: number) => void } = {},
): Promise<DryRunCounts & { parts: number }> {
  const whole = async () => ({ ...(await countInWorker(job, options.onBytes)), parts: 1 });
  if (statSync(job.path).size < (options.minBytes ?? PARALLEL_COUNT_MIN_BYTES)) return whole();
  // Pre-checks running at the same time share the cores: each takes what the others left (at
  // least one part, the whole file).
  const cores = availableParallelism();
  const wanted = Math.max(1, options.threads ?? Math.min(cores, 4));
  const threads = Math.min(wanted, Math.max(1, Math.max(cores, wanted) - partsCounting));
  if (threads === 1) return whole();
  partsCounting += threads;
  try {
    return await countInParts(job, threads, options.onBytes, whole);
  } finally {
    partsCounting -= threads;
  }
}

/** Parts being counted in this process now, by every pre-check together. */
let partsCounting = 0;

async function countInParts(
  job: Omit<BuildJob, 'mode'>,
  threads: number,
  onBytes: ((bytes: number) => void) | undefined,
  whole: () => Promise<DryRunCounts & { parts: number }>,
): Promise<DryRunCounts & { parts: number }> {
  let later = {};
  let lineEnd: '\n' | '\r\n' = '\n';
  if (job.readOptions.format === 'csv') {
    const first = await firstLineEnd(job.path, job.readOptions.csv?.quote ?? '"');
    if (!first) return whole();
    const columns = await readCsvHeader(job.path, { ...job.readOptions });
    if (columns.length === 0) return whole();
    lineEnd = first;
    later = { columns, recordDelimiter: first };
  }
  const ranges = await lineAlignedParts(job.path, threads, lineEnd);
  if (ranges.length < 2) return whole();
  const read = ranges.map(() => 0);
  const giveUp = new AbortController();
  const counted = await Promise.all(
    ranges.map((range, part) =>
      countInWorker(
        { ...job, readOptions: { ...job.readOptions, range: part === 0 ? range : { ...range, ...later } } },
        (bytes) => {
          read[part] = bytes;
          if (!giveUp.signal.aborted) onBytes?.(read.reduce((sum, value) => sum + value, 0));
        },
        giveUp.signal,
      ).catch(() => {
        giveUp.abort();
        return undefined;
      }),
    ),
  );
  const counts = counted.filter((part): part is DryRunCounts => part !== undefined);
  if (counts.length < ranges.length || !partsAgreeWithWhole(counts)) return whole();
  return { ...sumCounts(counts), parts: ranges.length };
}
