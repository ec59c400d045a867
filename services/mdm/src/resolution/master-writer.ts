import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { workerScriptOptions } from '@hub/platform';
import type { SurvivorshipPolicy } from '../golden-record/domain';
import { buildMasterWrites, type MasterWriteJob, type MasterWrites } from './master-writes';

/** Builds the rows and events of the masters a change touched (`buildMasterWrites`), in the order given. */
export interface MasterWriter {
  write(job: MasterWriteJob): Promise<MasterWrites>;
  close(): Promise<void>;
}

/** On the calling thread: for tests and tools run from source, and wherever a thread is not wanted. */
export function inlineMasterWriter(survivorship: SurvivorshipPolicy): MasterWriter {
  return {
    write: async (job) => buildMasterWrites(job, survivorship),
    close: async () => undefined,
  };
}

export type MasterWriterRequest = { id: number; job: MasterWriteJob };
export type MasterWriterReply = { id: number; writes: MasterWrites } | { id: number; error: string };

const BUILT_WORKER_FILE = join(__dirname, 'master-writer.worker.js');

/**
 * The rows and events of touched masters built on a worker thread of their own.
 *
 * Why: golden records (decoding each master's held records and choosing every field), the
 * master rows' JSON and the events' Avro were about a fifth of mdm's main thread on CPU in a
 * drain (docs/benchmarks.md, "Master rows and events on a thread of their own"), and that
 * thread is the limit while the machine's other core is partly idle. The job is plain data
 * taken from the resolver when a chunk of observations is resolved, so the main thread goes on
 * to the next chunk while this one is built; the results come back in the order asked.
 *
 * If the thread fails, every job in hand fails (its transaction rolls back and is retried)
 * and the next job starts a new thread. A thread that cannot start at all (its script missing,
 * or a flag on node's command line that threads refuse) would fail every transaction, and the
 * consumer would end by dead-lettering good observations: the jobs are then built on the calling
 * thread instead, this one's and every later one's, and `onFallback` is told why.
 */
export class MasterWriterThread implements MasterWriter {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { job: MasterWriteJob; resolve: (writes: MasterWrites) => void; reject: (error: Error) => void }>();
  /** Set once a thread could not start: from then on jobs are built on the calling thread. */
  private fallback = false;
  private readonly onCallingThread: MasterWriter;

  constructor(
    private readonly survivorship: SurvivorshipPolicy,
    private readonly workerFile = BUILT_WORKER_FILE,
    private readonly onFallback: (error: Error) => void = () => undefined,
    /** Options for the thread; tests pass ones it refuses. */
    private readonly workerOptions: WorkerOptions = {},
  ) {
    this.onCallingThread = inlineMasterWriter(survivorship);
  }

  /** Whether this build has the thread's script (a service run from its TypeScript source does not). */
  static available(): boolean {
    return existsSync(BUILT_WORKER_FILE);
  }

  write(job: MasterWriteJob): Promise<MasterWrites> {
    if (this.fallback) return this.inline(job);
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      this.fallBack(error instanceof Error ? error : new Error(String(error)));
      return this.inline(job);
    }
    const id = this.nextId++;
    return new Promise<MasterWrites>((resolve, reject) => {
      // a thread with work in hand keeps the process alive; an idle one does not
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { job, resolve, reject });
      worker.postMessage({ id, job } satisfies MasterWriterRequest);
    });
  }

  private inline(job: MasterWriteJob): Promise<MasterWrites> {
    return this.onCallingThread.write(job);
  }

  private fallBack(error: Error): void {
    if (!this.fallback) this.onFallback(error);
    this.fallback = true;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.workerFile, { workerData: { survivorship: this.survivorship }, ...workerScriptOptions(this.workerFile), ...this.workerOptions });
    // a thread that fails before its first answer is taken as one that cannot run here
    let answered = false;
    worker.on('message', (reply: MasterWriterReply) => {
      answered = true;
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in reply) waiter.reject(new Error(`master writer: ${reply.error}`));
      else waiter.resolve(reply.writes);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      if (!answered) {
        // it never ran: build what it was given here, and everything after
        this.fallBack(error);
        for (const waiter of this.waiting.values()) this.inline(waiter.job).then(waiter.resolve, waiter.reject);
      } else {
        for (const waiter of this.waiting.values()) waiter.reject(error);
      }
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the master writer thread exited with ${code}`)));
    this.worker = worker;
    return worker;
  }
}
