import type { RowContext } from '../publishing/row-events';
import type { QualityProfile } from '../quality/quality-profile';
import type { WireBatch } from './built-wire';
import type { DryRunCounts } from './row-builder';
import type { ReadOptions } from './source-reader';

/** What the build worker is asked to do (plain data: it crosses a thread). */
export interface BuildJob {
  mode: 'build' | 'count';
  feedDirs: readonly string[];
  date: string;
  feedName: string;
  path: string;
  context: RowContext;
  readOptions: Omit<ReadOptions, 'onBytes'>;
  batchSize: number;
  /** Batches the worker may send ahead of the main thread. */
  credits: number;
}

/** What the main thread tells the build worker: start a job, or send one more batch of the current one. */
export type WorkerCommand = { type: 'job'; job: BuildJob } | { type: 'more' };

export type WorkerReply =
  | { type: 'batch'; batch: WireBatch }
  | { type: 'bytes'; bytes: number }
  | { type: 'done'; profile?: QualityProfile; counts?: DryRunCounts }
  | { type: 'error'; name: string; code?: string; message: string; stack?: string };
