import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeFailure, type ServiceRuntime } from '@hub/platform';
import type { FeedRegistry } from '../feeds/feed-registry';
import type { IngestConfig } from '../ingest.config';
import type { LoadRunner } from '../loads/load-runner';

/**
 * A watched drop folder: `<INGEST_DROP_DIR>/<feed>/<file>`. A file is loaded once its size
 * has stopped changing (a partner may still be copying it), then moved with its report
 * beside it into `.done/`, `.quarantined/` or `.failed/`. Polling, not file-system events:
 * it behaves the same on network shares, where events are unreliable.
 */
export function startDropFolder(runtime: ServiceRuntime<IngestConfig>, feeds: FeedRegistry, runner: LoadRunner): (() => Promise<void>) | undefined {
  const root = runtime.config.INGEST_DROP_DIR;
  if (!root) return undefined;
  const { logger } = runtime;
  for (const feed of feeds.names()) mkdirSync(join(root, feed), { recursive: true });
  const sizes = new Map<string, number>();
  let stopped = false;
  let working: Promise<void> = Promise.resolve();

  const scan = async () => {
    for (const feed of feeds.names()) {
      const folder = join(root, feed);
      if (!existsSync(folder)) continue;
      // deliveries of a feed are applied in the order of their names (delivery 01 before 02)
      for (const name of readdirSync(folder).sort()) {
        if (stopped) return;
        const path = join(folder, name);
        if (name.startsWith('.') || !statSync(path).isFile()) continue;
        const size = statSync(path).size;
        if (sizes.get(path) !== size) {
          sizes.set(path, size);
          continue;
        }
        sizes.delete(path);
        let outcome = '.failed';
        let report: object;
        try {
          const result = await runner.loadFile(feed, path, { wayIn: 'drop' });
          outcome = result.status === 'completed' ? '.done' : result.status === 'quarantined' ? '.quarantined' : '.failed';
          report = result;
        } catch (error) {
          report = { feed, file: name, status: 'failed', error: describeFailure(error) };
          logger.error({ feed, error: describeFailure(error) }, 'drop-folder load failed');
        }
        const target = join(folder, outcome);
        mkdirSync(target, { recursive: true });
        const moved = join(target, basename(path));
        renameSync(path, moved);
        // written aside and renamed, so that a reader never sees half a report
        writeFileSync(`${moved}.report.json.part`, `${JSON.stringify(report, null, 2)}\n`);
        renameSync(`${moved}.report.json.part`, `${moved}.report.json`);
        logger.info({ feed, outcome: outcome.slice(1) }, 'drop-folder file handled');
        if (outcome === '.quarantined') {
          // a person releases it later with `npm run feed -- release <load>`; the load remembers the file's new place
          const load = (report as { load?: string }).load;
          if (load) await runner.relocate(load, moved);
        }
      }
    }
  };

  const timer = setInterval(() => {
    working = working.then(scan).catch((error) => logger.error({ error: describeFailure(error) }, 'drop-folder scan failed'));
  }, runtime.config.INGEST_DROP_POLL_MS);
  logger.info({ feeds: feeds.names().length }, 'watching the drop folder');
  return async () => {
    stopped = true;
    clearInterval(timer);
    await working;
  };
}
