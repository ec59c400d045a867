import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '@hub/platform';
import type { DataSource } from 'typeorm';
import type { CompiledFeed } from '../feeds/domain';
import type { MappedRow, RuleFailure } from '../feeds/domain/mapped-row';
import { FeedRegistry, IngestError } from '../feeds/feed-registry';
import type { KafkaPublisher } from '../publishing/kafka-publisher';
import { acceptedRowEvents, type ObservationRef, type OutgoingMessage, recordVersion, rejectionEvent, type RowContext, withdrawalEvents } from '../publishing/row-events';
import { QualityProfiler } from '../quality/quality-profile';
import type { LoadReport } from './load-report';
import { type LoadCounters, type RecordChange, RecordStore, type StoredRejection } from './record-store';
import { DeliveryError, readCsvHeader, readRows, type SourceRow } from './source-reader';

export type WayIn = 'file' | 'drop' | 'api' | 'pull' | 'replay';

/** One row ready to apply: its mapping result, or why it could not even be parsed. */
export interface PreparedRow {
  rowNumber: number | null;
  raw: Buffer;
  mapped: MappedRow | { outcome: 'unparseable'; code: string; message: string };
}

export interface RowOutcome {
  rowNumber: number | null;
  sourceRecordId: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected' | 'withdrawn';
  reasons?: RuleFailure[];
}

/** Where a load's time goes, per phase (milliseconds); the benchmark prints it. */
export const phaseTimings: Record<'lookup' | 'map' | 'events' | 'publish' | 'commit', number> = { lookup: 0, map: 0, events: 0, publish: 0, commit: 0 };
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

const emptyCounters = (): LoadCounters => ({ rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, events: 0 });

export function prepare(feed: CompiledFeed, row: SourceRow): PreparedRow {
  const mark = process.hrtime.bigint();
  try {
    return prepareRow(feed, row);
  } finally {
    phaseTimings.map += since(mark);
  }
}

function prepareRow(feed: CompiledFeed, row: SourceRow): PreparedRow {
  if ('error' in row) return { rowNumber: row.rowNumber, raw: row.raw, mapped: { outcome: 'unparseable', code: row.error.code, message: row.error.message } };
  return { rowNumber: row.rowNumber, raw: row.raw, mapped: feed.mapRow(row.row) };
}

/**
 * Applies partner rows, however they arrived: versions each record, skips what the hub
 * already holds, publishes the events of what is new or changed (acks from all replicas),
 * then records versions, rejects and counters in PostgreSQL. Loads are checked before they
 * are applied, so a delivery with the wrong header or too many rejects is quarantined whole,
 * never half-applied.
 */
export class LoadRunner {
  constructor(
    private readonly feeds: FeedRegistry,
    private readonly store: RecordStore,
    private readonly publisher: KafkaPublisher,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly batchSize = 1000,
  ) {}

  context(feed: CompiledFeed, loadId: string, contentType: string): RowContext {
    return { feed: feed.name, governance: feed.governance, loadId, receivedAt: Date.now(), contentType, encoding: contentType === 'text/csv' ? feed.encoding : 'utf-8' };
  }

  /** Applies one batch of prepared rows in order; returns each row's outcome. */
  async applyBatch(feed: CompiledFeed, context: RowContext, batch: readonly PreparedRow[], counters: LoadCounters, profiler?: QualityProfiler): Promise<RowOutcome[]> {
    const ids = batch.flatMap((row) => (row.mapped.outcome === 'accepted' || row.mapped.outcome === 'withdrawn' ? [row.mapped.sourceRecordId] : []));
    let mark = process.hrtime.bigint();
    const current = await this.store.held(feed.name, ids);
    phaseTimings.lookup += since(mark);
    mark = process.hrtime.bigint();
    const messages: OutgoingMessage[] = [];
    const changes: RecordChange[] = [];
    const seen: string[] = [];
    const rejections: StoredRejection[] = [];
    const outcomes: RowOutcome[] = [];
    const next = { ...counters };
    for (const row of batch) {
      next.rows++;
      const mapped = row.mapped;
      profiler?.observe(mapped);
      switch (mapped.outcome) {
        case 'unparseable':
        case 'rejected': {
          const reasons: RuleFailure[] = mapped.outcome === 'rejected' ? mapped.reasons : [{ code: mapped.code, field: 'row', message: mapped.message }];
          const sourceRecordId = mapped.outcome === 'rejected' ? mapped.sourceRecordId : null;
          const event = rejectionEvent(context, { sourceRecordId, rowNumber: row.rowNumber, reasons, raw: row.raw });
          rejections.push({ rowNumber: row.rowNumber, sourceRecordId, reasons, raw: row.raw, contentType: context.contentType, event });
          next.rejected++;
          outcomes.push({ rowNumber: row.rowNumber, sourceRecordId, outcome: 'rejected', reasons });
          break;
        }
        case 'accepted': {
          const version = recordVersion(mapped.sourceVersion, mapped.records);
          const held = current.get(mapped.sourceRecordId);
          if (held && !held.withdrawn && held.version === version) {
            next.duplicates++;
            profiler?.duplicate();
            seen.push(mapped.sourceRecordId);
            outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: mapped.sourceRecordId, outcome: 'duplicate' });
            break;
          }
          const produced = acceptedRowEvents(context, { sourceRecordId: mapped.sourceRecordId, version, occurredAt: mapped.occurredAt, records: mapped.records, raw: row.raw, rowNumber: row.rowNumber });
          // an observation the new version no longer yields (a person removed from a nested record) is withdrawn
          const dropped = held && !held.withdrawn ? held.observations.filter((old) => !produced.observations.some((o) => o.topic === old.topic && o.sourceRecordId === old.sourceRecordId)) : [];
          if (dropped.length) {
            messages.push(...withdrawalEvents(context, { sourceRecordId: mapped.sourceRecordId, version: held!.version, observations: dropped, reason: 'DELETED_AT_SOURCE' }).slice(1));
          }
          messages.push(...produced.messages);
          changes.push({ sourceRecordId: mapped.sourceRecordId, version, observations: produced.observations, withdrawn: false });
          current.set(mapped.sourceRecordId, { version, observations: produced.observations, withdrawn: false });
          next.accepted++;
          outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: mapped.sourceRecordId, outcome: 'accepted' });
          break;
        }
        case 'withdrawn': {
          const held = current.get(mapped.sourceRecordId);
          if (!held || held.withdrawn) {
            next.duplicates++;
            outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: mapped.sourceRecordId, outcome: 'duplicate' });
            break;
          }
          messages.push(...withdrawalEvents(context, { sourceRecordId: mapped.sourceRecordId, version: held.version, observations: held.observations, reason: 'DELETED_AT_SOURCE' }));
          changes.push({ sourceRecordId: mapped.sourceRecordId, version: held.version, observations: held.observations, withdrawn: true });
          current.set(mapped.sourceRecordId, { ...held, withdrawn: true });
          next.withdrawn++;
          outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: mapped.sourceRecordId, outcome: 'withdrawn' });
          break;
        }
        default: {
          const unknown: never = mapped;
          throw new Error(`unknown outcome ${(unknown as { outcome: string }).outcome}`);
        }
      }
    }
    next.events += messages.length + rejections.length;
    phaseTimings.events += since(mark);
    mark = process.hrtime.bigint();
    await this.publisher.publish(messages);
    phaseTimings.publish += since(mark);
    mark = process.hrtime.bigint();
    await this.store.commitBatch(feed.name, context.loadId, changes, feed.kind === 'snapshot' ? seen : [], rejections, next);
    phaseTimings.commit += since(mark);
    Object.assign(counters, next);
    return outcomes;
  }

  /** A dry run: what loading this file would do, without changing anything. */
  async check(feedName: string, path: string, onBytes?: (bytes: number) => void): Promise<LoadReport> {
    const feed = this.feeds.get(feedName);
    const loadId = await loadIdFor(feed.name, path);
    const empty = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0 };
    try {
      const quarantine = await this.headerProblem(feed, path);
      if (quarantine) return { feed: feed.name, load: loadId, status: 'quarantined', ...empty, reason: quarantine };
      const counts = await this.dryRun(feed, path, onBytes);
      const reason = rejectRateProblem(feed, counts.rows, counts.rejected);
      return { feed: feed.name, load: loadId, status: reason ? 'quarantined' : 'checked', ...counts, ...(reason ? { reason } : {}) };
    } catch (error) {
      if (error instanceof DeliveryError) return { feed: feed.name, load: loadId, status: 'failed', ...empty, reason: { code: error.code, message: error.message } };
      throw error;
    }
  }

  /**
   * Loads a delivery file. The load id is derived from the feed and the file's content, so
   * loading the same file again (after a crash, say) resumes the same load: what is already
   * held is recognised, nothing is doubled.
   */
  async loadFile(feedName: string, path: string, options: { wayIn?: WayIn; release?: boolean; onBytes?: (bytes: number) => void } = {}): Promise<LoadReport> {
    const feed = this.feeds.get(feedName);
    const absolute = resolve(path);
    const loadId = await loadIdFor(feed.name, absolute);
    const base = { feed: feed.name, load: loadId };
    await this.dataSource.query(
      `INSERT INTO load (id, feed, way_in, file_name, status) VALUES ($1, $2, $3, $4, 'running')
       ON CONFLICT (id) DO UPDATE SET file_name = EXCLUDED.file_name`,
      [loadId, feed.name, options.wayIn ?? 'file', absolute],
    );
    const [existing] = (await this.dataSource.query(`SELECT status FROM load WHERE id = $1`, [loadId])) as { status: string }[];
    if (existing?.status === 'quarantined' && !options.release) {
      return this.report(loadId);
    }
    try {
      if (!options.release) {
        const problem = (await this.headerProblem(feed, absolute)) ?? (await this.rejectRateCheck(feed, absolute));
        if (problem) {
          await this.setStatus(loadId, 'quarantined', `${problem.code}: ${problem.message}`);
          this.logger.warn({ feed: feed.name, load: loadId, code: problem.code }, 'load quarantined');
          return { ...(await this.report(loadId)), reason: problem };
        }
      }
      await this.setStatus(loadId, 'running', null);
      const counters = emptyCounters();
      const profiler = new QualityProfiler();
      const context = this.context(feed, loadId, feed.format === 'csv' ? 'text/csv' : 'application/x-ndjson');
      // One batch is applied (lookups, Kafka, PostgreSQL) while the next is parsed and mapped:
      // the waits of one overlap the CPU work of the other. Batches still start in order, each
      // after the previous one has committed, so lookups see every earlier change.
      let batch: PreparedRow[] = [];
      let applying: Promise<void> = Promise.resolve();
      let failure: unknown;
      const apply = async (rows: PreparedRow[]) => {
        await applying;
        if (failure) throw failure;
        applying = this.applyBatch(feed, context, rows, counters, profiler).then(
          () => undefined,
          (error: unknown) => {
            failure = error;
          },
        );
      };
      for await (const row of readRows(absolute, { ...readOptions(feed), onBytes: options.onBytes })) {
        batch.push(prepare(feed, row));
        if (batch.length >= this.batchSize) {
          await apply(batch);
          batch = [];
        }
      }
      if (batch.length) await apply(batch);
      await applying;
      if (failure) throw failure;
      if (feed.kind === 'snapshot') await this.withdrawMissing(feed, context, counters);
      await this.dataSource.query(`INSERT INTO quality_profile (load_id, feed, profile) VALUES ($1, $2, $3) ON CONFLICT (load_id) DO UPDATE SET profile = EXCLUDED.profile`, [loadId, feed.name, JSON.stringify(profiler.result())]);
      await this.setStatus(loadId, 'completed', null);
      this.logger.info({ feed: feed.name, load: loadId, ...counters }, 'load completed');
      return { ...base, status: 'completed', ...counters, rejectsByReason: profiler.result().rejectsByReason };
    } catch (error) {
      if (error instanceof DeliveryError) {
        await this.setStatus(loadId, 'failed', `${error.code}: ${error.message}`);
        return { ...(await this.report(loadId)), status: 'failed', reason: { code: error.code, message: error.message } };
      }
      throw error;
    }
  }

  /** Withdraws everything a load brought or changed that the hub still holds. */
  async undo(loadId: string): Promise<LoadReport> {
    const [load] = (await this.dataSource.query(`SELECT feed FROM load WHERE id = $1`, [loadId])) as { feed: string }[];
    if (!load) throw new IngestError('INGEST.UNKNOWN_LOAD', `no load ${JSON.stringify(loadId.slice(0, 60))}`, 404);
    const feed = this.feeds.get(load.feed);
    const context = this.context(feed, loadId, 'text/plain');
    let withdrawn = 0;
    for (;;) {
      const held = await this.store.broughtBy(loadId, this.batchSize);
      if (held.length === 0) break;
      await this.publisher.publish(held.flatMap((record) => withdrawalEvents(context, { sourceRecordId: record.sourceRecordId, version: record.held.version, observations: record.held.observations, reason: 'LOAD_UNDONE' })));
      await this.store.markWithdrawn(feed.name, held.map((record) => record.sourceRecordId), `undo:${loadId}`);
      withdrawn += held.length;
    }
    await this.setStatus(loadId, 'undone', null);
    this.logger.info({ feed: feed.name, load: loadId, withdrawn }, 'load undone');
    return { ...(await this.report(loadId)), status: 'undone', withdrawn };
  }

  /** Applies a quarantined load after a person has looked at it. */
  async release(loadId: string, onBytes?: (bytes: number) => void): Promise<LoadReport> {
    const [load] = (await this.dataSource.query(`SELECT feed, file_name, status FROM load WHERE id = $1`, [loadId])) as { feed: string; file_name: string | null; status: string }[];
    if (!load) throw new IngestError('INGEST.UNKNOWN_LOAD', `no load ${JSON.stringify(loadId.slice(0, 60))}`, 404);
    if (load.status !== 'quarantined') throw new IngestError('INGEST.NOT_QUARANTINED', `load ${loadId} is ${load.status}, not quarantined`, 409);
    if (!load.file_name) throw new IngestError('INGEST.NO_FILE', `load ${loadId} has no file to apply`, 409);
    return this.loadFile(load.feed, load.file_name, { release: true, onBytes });
  }

  /** Where a load's file now lives (a drop folder moves quarantined files aside). */
  async relocate(loadId: string, path: string): Promise<void> {
    await this.dataSource.query(`UPDATE load SET file_name = $2 WHERE id = $1`, [loadId, resolve(path)]);
  }

  async report(loadId: string): Promise<LoadReport> {
    const [row] = (await this.dataSource.query(`SELECT * FROM load WHERE id = $1`, [loadId])) as Record<string, unknown>[];
    if (!row) throw new IngestError('INGEST.UNKNOWN_LOAD', `no load ${JSON.stringify(loadId.slice(0, 60))}`, 404);
    const reason = typeof row.status_reason === 'string' ? { code: row.status_reason.split(':')[0]!, message: row.status_reason.split(': ').slice(1).join(': ') } : undefined;
    return {
      feed: String(row.feed), load: loadId, status: row.status as LoadReport['status'],
      rows: Number(row.rows), accepted: Number(row.accepted), rejected: Number(row.rejected), duplicates: Number(row.duplicates), withdrawn: Number(row.withdrawn), events: Number(row.events),
      ...(reason ? { reason } : {}),
    };
  }

  private async withdrawMissing(feed: CompiledFeed, context: RowContext, counters: LoadCounters): Promise<void> {
    for (;;) {
      const missing = await this.store.missingFromSnapshot(feed.name, context.loadId, this.batchSize);
      if (missing.length === 0) return;
      await this.publisher.publish(missing.flatMap((record) => withdrawalEvents(context, { sourceRecordId: record.sourceRecordId, version: record.held.version, observations: record.held.observations as ObservationRef[], reason: 'MISSING_FROM_SNAPSHOT' })));
      await this.store.markWithdrawn(feed.name, missing.map((record) => record.sourceRecordId), context.loadId);
      counters.withdrawn += missing.length;
      await this.dataSource.query(`UPDATE load SET withdrawn = $2 WHERE id = $1`, [context.loadId, counters.withdrawn]);
    }
  }

  private async headerProblem(feed: CompiledFeed, path: string): Promise<{ code: string; message: string } | undefined> {
    if (feed.format !== 'csv' || !feed.expectedColumns) return undefined;
    const header = await readCsvHeader(path, readOptions(feed));
    const missing = feed.expectedColumns.filter((column) => !header.includes(column));
    const unexpected = header.filter((column) => !feed.expectedColumns!.includes(column));
    if (missing.length === 0 && unexpected.length === 0) return undefined;
    return {
      code: 'INGEST.HEADER_MISMATCH',
      message: `the header differs from the feed's mapping: missing [${missing.join(', ')}], unexpected [${unexpected.map((c) => c.slice(0, 40)).join(', ')}]`,
    };
  }

  private async rejectRateCheck(feed: CompiledFeed, path: string): Promise<{ code: string; message: string } | undefined> {
    const counts = await this.dryRun(feed, path);
    return rejectRateProblem(feed, counts.rows, counts.rejected);
  }

  private async dryRun(feed: CompiledFeed, path: string, onBytes?: (bytes: number) => void): Promise<Omit<LoadReport, 'feed' | 'load' | 'status'>> {
    const counts = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0 };
    const rejectsByReason: Record<string, number> = {};
    for await (const row of readRows(path, { ...readOptions(feed), onBytes })) {
      counts.rows++;
      const mapped = prepare(feed, row).mapped;
      if (mapped.outcome === 'accepted') counts.accepted++;
      else if (mapped.outcome === 'withdrawn') counts.withdrawn++;
      else {
        counts.rejected++;
        const codes = mapped.outcome === 'rejected' ? mapped.reasons.map((r) => r.code) : [mapped.code];
        for (const code of codes) rejectsByReason[code] = (rejectsByReason[code] ?? 0) + 1;
      }
    }
    return { ...counts, rejectsByReason };
  }

  private async setStatus(loadId: string, status: string, reason: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE load SET status = $2, status_reason = $3, finished_at = CASE WHEN $2 IN ('completed', 'quarantined', 'failed', 'undone') THEN now() ELSE NULL END WHERE id = $1`,
      [loadId, status, reason],
    );
  }
}

function rejectRateProblem(feed: CompiledFeed, rows: number, rejected: number): { code: string; message: string } | undefined {
  if (rows === 0 || rejected / rows <= feed.rejectThreshold) return undefined;
  return { code: 'INGEST.REJECT_RATE_EXCEEDED', message: `${rejected} of ${rows} rows rejected (${((rejected / rows) * 100).toFixed(1)}%), above the feed's threshold of ${(feed.rejectThreshold * 100).toFixed(1)}%` };
}

export function readOptions(feed: CompiledFeed) {
  return { format: feed.format, encoding: feed.encoding, csv: feed.csv ?? undefined, maxRecordBytes: 1_048_576 } as const;
}

/** Same feed and same bytes, same load id. */
export async function loadIdFor(feed: string, path: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${feed}\n`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `load-${hash.digest('hex').slice(0, 24)}`;
}
