// A worker thread's entry point: reads, parses, maps, versions and Avro-encodes one delivery
// file (or only counts it, for the pre-check), so that the main thread does nothing but the
// database and Kafka. Batches go out in file order, at most `credits` ahead of the main
// thread, which keeps memory flat whatever the file's size.
import { parentPort, workerData } from 'node:worker_threads';
import { FeedRegistry } from '../feeds/feed-registry';
import { packBatch } from './built-wire';
import { buildFile, countFile } from './row-builder';
import type { BuildJob, WorkerReply } from './build-job';

const job = workerData as BuildJob;
const port = parentPort!;
let credits = job.credits;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
});

const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

async function run(): Promise<void> {
  const feed = FeedRegistry.fromDirectories(job.feedDirs, job.date).get(job.feedName, job.date);
  const options = { ...job.readOptions, onBytes: (bytes: number) => post({ type: 'bytes', bytes }) };
  if (job.mode === 'count') {
    post({ type: 'done', counts: await countFile(feed, job.path, options) });
    return;
  }
  for await (const event of buildFile(feed, job.context, job.path, { ...options, batchSize: job.batchSize })) {
    if (event.kind === 'profile') {
      post({ type: 'done', profile: event.profile.counts() });
      return;
    }
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    const batch = packBatch(event.rows);
    post({ type: 'batch', batch }, [batch.bytes]);
  }
}

run().catch((error: unknown) => {
  const failure = error as Error & { code?: string };
  post({ type: 'error', name: failure.name, code: failure.code, message: failure.message, stack: failure.stack });
});
