// A worker thread's entry point: reads, parses, maps, versions and Avro-encodes delivery files
// (or only counts one, for the pre-check), so that the main thread does nothing but the
// database and Kafka. The worker serves one job at a time and then waits for the next, so that
// loading, compiling and validating the feed configurations is paid once per worker, not once
// per delivery (it cost about a second per delivery file). Batches go out in file order, at
// most `credits` ahead of the main thread, which keeps memory flat whatever the file's size.
import { parentPort } from 'node:worker_threads';
import { FeedRegistry } from '../feeds/feed-registry';
import { packBatch } from './built-wire';
import { buildFile, countFile } from './row-builder';
import type { BuildJob, WorkerCommand, WorkerReply } from './build-job';

const port = parentPort!;
let credits = 0;
let wake: (() => void) | undefined;
/** Feed registries by directories and date: a registry is the same for every delivery of a day. */
const registries = new Map<string, FeedRegistry>();

const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

port.on('message', (command: WorkerCommand) => {
  if (command.type === 'more') {
    credits++;
    wake?.();
    return;
  }
  // a "more" left over from the previous job arrives before this job (messages keep their order)
  credits = command.job.credits;
  run(command.job).catch((error: unknown) => {
    const failure = error as Error & { code?: string };
    post({ type: 'error', name: failure.name, code: failure.code, message: failure.message, stack: failure.stack });
  });
});

function registryFor(job: BuildJob): FeedRegistry {
  const key = `${job.date}\u0000${job.feedDirs.join('\u0000')}`;
  let registry = registries.get(key);
  if (!registry) {
    // one day's registry at a time: a long-running ingest moves on to the next day's agreements
    registries.clear();
    registries.set(key, (registry = FeedRegistry.fromDirectories(job.feedDirs, job.date)));
  }
  return registry;
}

async function run(job: BuildJob): Promise<void> {
  const feed = registryFor(job).get(job.feedName, job.date);
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
