import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
 * and the next job starts a new thread.
 */
export class MasterWriterThread implements MasterWriter {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (writes: MasterWrites) => void; reject: (error: Error) => void }>();

  constructor(private readonly survivorship: SurvivorshipPolicy, private readonly workerFile = BUILT_WORKER_FILE) {}

  /** Whether this build has the thread's script (a service run from its TypeScript source does not). */
  static available(): boolean {
    return existsSync(BUILT_WORKER_FILE);
  }

  write(job: MasterWriteJob): Promise<MasterWrites> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<MasterWrites>((resolve, reject) => {
      // a thread with work in hand keeps the process alive; an idle one does not
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, job } satisfies MasterWriterRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.workerFile, { workerData: { survivorship: this.survivorship }, ...workerScriptOptions(this.workerFile) });
    worker.on('message', (reply: MasterWriterReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in reply) waiter.reject(new Error(`master writer: ${reply.error}`));
      else waiter.resolve(reply.writes);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the master writer thread exited with ${code}`)));
    this.worker = worker;
    return worker;
  }
}
