import { describeFailure, type ServiceRuntime } from '@hub/platform';
import type { DataSource } from 'typeorm';
import type { FeedRegistry } from '../feeds/feed-registry';
import type { IngestConfig } from '../ingest.config';
import type { LoadRunner, PreparedRow } from '../loads/load-runner';
import { loadPullConfigs, type PullConfig } from './pull-config';
import { openPartnerDatabase } from './partner-database';

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * One pull: the rows changed since the watermark go through the feed's mapping like any
 * delivery; the watermark moves only after they are applied. With an ids query, records the
 * partner no longer holds are withdrawn.
 */
export async function runPull(pull: PullConfig, feeds: FeedRegistry, runner: LoadRunner, dataSource: DataSource, env: NodeJS.ProcessEnv = process.env): Promise<{ rows: number; withdrawn: number; watermark: string }> {
  const feed = feeds.get(pull.feed);
  const url = env[pull.urlEnv];
  if (!url) throw new Error(`pull for ${pull.feed}: ${pull.urlEnv} is not set`);
  const [state] = (await dataSource.query(`SELECT watermark FROM pull_state WHERE feed = $1`, [pull.feed])) as { watermark: string | null }[];
  let watermark = state?.watermark ?? pull.initialWatermark;
  const database = await openPartnerDatabase(pull.driver, url);
  const loadId = `pull-${pull.feed}-${Date.now()}`;
  await dataSource.query(`INSERT INTO load (id, feed, way_in, status) VALUES ($1, $2, 'pull', 'running')`, [loadId, feed.name]);
  const counters = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, events: 0 };
  try {
    const rows = await database.rows(pull.query, watermark);
    for (let start = 0; start < rows.length; start += pull.batchSize) {
      const batch: PreparedRow[] = rows.slice(start, start + pull.batchSize).map((row, index) => {
        const record = Object.fromEntries(Object.entries(row).map(([column, value]) => [column, asText(value)]));
        return { rowNumber: start + index + 1, raw: Buffer.from(JSON.stringify(record), 'utf8'), mapped: feed.mapRow(record) };
      });
      await runner.applyBatch(feed, runner.context(feed, loadId, 'application/json'), batch, counters);
      const last = asText(rows[Math.min(start + pull.batchSize, rows.length) - 1]![pull.watermarkColumn]);
      if (last && last > watermark) watermark = last;
      await dataSource.query(
        `INSERT INTO pull_state (feed, watermark, last_run_at) VALUES ($1, $2, now()) ON CONFLICT (feed) DO UPDATE SET watermark = EXCLUDED.watermark, last_run_at = now(), last_error = NULL`,
        [pull.feed, watermark],
      );
    }
    if (pull.idsQuery) {
      const present = new Set((await database.rows(pull.idsQuery)).map((row) => asText(row[pull.idColumn])));
      const held: { source_record_id: string }[] = await dataSource.query(`SELECT source_record_id FROM source_record WHERE feed = $1 AND NOT withdrawn`, [feed.name]);
      const gone = held.map((row) => row.source_record_id).filter((id) => !present.has(id));
      for (let start = 0; start < gone.length; start += pull.batchSize) {
        const batch: PreparedRow[] = gone.slice(start, start + pull.batchSize).map((id) => ({ rowNumber: null, raw: Buffer.from(id, 'utf8'), mapped: { outcome: 'withdrawn', sourceRecordId: id, occurredAt: null } }));
        await runner.applyBatch(feed, runner.context(feed, loadId, 'application/json'), batch, counters);
      }
    }
    await dataSource.query(
      `INSERT INTO pull_state (feed, watermark, last_run_at) VALUES ($1, $2, now()) ON CONFLICT (feed) DO UPDATE SET watermark = EXCLUDED.watermark, last_run_at = now(), last_error = NULL`,
      [pull.feed, watermark],
    );
    await dataSource.query(`UPDATE load SET status = 'completed', finished_at = now() WHERE id = $1`, [loadId]);
    return { rows: counters.rows, withdrawn: counters.withdrawn, watermark };
  } catch (error) {
    await dataSource.query(`UPDATE load SET status = 'failed', status_reason = $2, finished_at = now() WHERE id = $1`, [loadId, `INGEST.PULL_FAILED: ${describeFailure(error)}`]).catch(() => undefined);
    await dataSource.query(
      `INSERT INTO pull_state (feed, last_error, last_run_at) VALUES ($1, $2, now()) ON CONFLICT (feed) DO UPDATE SET last_error = EXCLUDED.last_error, last_run_at = now()`,
      [pull.feed, describeFailure(error)],
    ).catch(() => undefined);
    throw error;
  } finally {
    await database.close();
  }
}

/** Runs each configured pull on its schedule, one at a time per feed. */
export function startPulls(runtime: ServiceRuntime<IngestConfig>, feeds: FeedRegistry, runner: LoadRunner, pulls = loadPullConfigs()): (() => Promise<void>) | undefined {
  if (!runtime.config.INGEST_PULL_ENABLED || pulls.length === 0 || !runtime.dataSource) return undefined;
  const running = new Map<string, Promise<void>>();
  const timers = pulls.map((pull) =>
    setInterval(() => {
      if (running.has(pull.feed)) return;
      const job = runPull(pull, feeds, runner, runtime.dataSource!)
        .then((result) => runtime.logger.info({ feed: pull.feed, ...result }, 'pull completed'))
        .catch((error) => runtime.logger.error({ feed: pull.feed, error: describeFailure(error) }, 'pull failed'))
        .finally(() => running.delete(pull.feed));
      running.set(pull.feed, job);
    }, pull.everySeconds * 1000),
  );
  return async () => {
    timers.forEach(clearInterval);
    await Promise.all(running.values());
  };
}
