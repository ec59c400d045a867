import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '@hub/platform';
import type { DataSource } from 'typeorm';
import type { CompiledFeed } from '../feeds/domain';
import type { MappedRow, RuleFailure } from '../feeds/domain/mapped-row';
import { FeedRegistry, IngestError } from '../feeds/feed-registry';
import type { KafkaPublisher } from '../publishing/kafka-publisher';
import { atRevision, type ObservationRef, type OutgoingMessage, type RowContext, withdrawalEvents } from '../publishing/row-events';
import { QualityProfiler } from '../quality/quality-profile';
import type { LoadReport } from './load-report';
import { type HeldRecord, type LoadCounters, type RecordChange, RecordStore, type StoredRejection } from './record-store';
import type { BuildJob } from './build-job';
import { buildInWorker, countInWorkers, type WorkerBuildEvent } from './build-worker-client';
import { buildFile, buildMapped, type BuiltRow, countFile } from './row-builder';
import { DeliveryError, readCsvHeader } from './source-reader';

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

/**
 * Where a load's main-thread time goes, per phase (milliseconds); the benchmark prints it.
 * `precheck` is the header and reject-rate check before a load is applied; `build` is parsing,
 * mapping and encoding done in this thread; `waitForBuild` is time this thread waited for the
 * build worker's next batch.
 */
export const phaseTimings: Record<'precheck' | 'lookup' | 'build' | 'waitForBuild' | 'decide' | 'publish' | 'commit', number> = { precheck: 0, lookup: 0, build: 0, waitForBuild: 0, decide: 0, publish: 0, commit: 0 };
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

interface Decided {
  messages: OutgoingMessage[];
  changes: RecordChange[];
  seen: string[];
  rejections: StoredRejection[];
  outcomes: RowOutcome[];
  counters: LoadCounters;
}

/** The records of a batch whose held versions matter: every row but the rejected ones. */
const heldIds = (batch: readonly BuiltRow[]) => batch.flatMap((row) => (row.outcome === 'rejected' ? [] : [row.sourceRecordId]));

const emptyCounters = (): LoadCounters => ({ rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, events: 0 });

/** Whether file loads parse, map and encode in a worker thread (the default) or in this one. */
export type BuildIn = 'worker' | 'this-thread';

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
    private readonly buildIn: BuildIn = 'worker',
    /** Workers that count a large file's parts side by side in the pre-check (default: the cores, at most 4). */
    private readonly countThreads?: number,
  ) {}

  context(feed: CompiledFeed, loadId: string, contentType: string): RowContext {
    return { feed: feed.name, governance: feed.governance, loadId, receivedAt: Date.now(), contentType, encoding: contentType === 'text/csv' ? feed.encoding : 'utf-8' };
  }

  /** Applies one batch of prepared rows in order; returns each row's outcome. */
  async applyBatch(feed: CompiledFeed, context: RowContext, batch: readonly PreparedRow[], counters: LoadCounters, profiler?: QualityProfiler): Promise<RowOutcome[]> {
    const mark = process.hrtime.bigint();
    const built = batch.map((row) => {
      profiler?.observe(row.mapped);
      return buildMapped(context, row.rowNumber, row.raw, row.mapped);
    });
    phaseTimings.build += since(mark);
    return this.applyBuilt(feed, context, built, counters, profiler);
  }

  /**
   * Applies one batch of built rows in order (see BuiltRow): decides against the held versions
   * what is new, changed or a duplicate, publishes the events of what is new or changed, then
   * records versions, rejects and counters. The profiler, if any, has seen the rows already.
   */
  async applyBuilt(feed: CompiledFeed, context: RowContext, batch: readonly BuiltRow[], counters: LoadCounters, profiler?: QualityProfiler): Promise<RowOutcome[]> {
    let mark = process.hrtime.bigint();
    const current = await this.store.held(feed.name, heldIds(batch));
    phaseTimings.lookup += since(mark);
    const decided = this.decide(feed, context, batch, current, counters, profiler);
    mark = process.hrtime.bigint();
    await this.publisher.publish(decided.messages);
    phaseTimings.publish += since(mark);
    mark = process.hrtime.bigint();
    await this.commit(feed, context, decided);
    phaseTimings.commit += since(mark);
    Object.assign(counters, decided.counters);
    return decided.outcomes;
  }

  /** What a batch does, given what the hub holds of its records: events to publish, changes to record, outcomes. */
  private decide(feed: CompiledFeed, context: RowContext, batch: readonly BuiltRow[], current: Map<string, HeldRecord>, counters: LoadCounters, profiler?: QualityProfiler): Decided {
    const mark = process.hrtime.bigint();
    const messages: OutgoingMessage[] = [];
    const changes: RecordChange[] = [];
    const seen: string[] = [];
    const rejections: StoredRejection[] = [];
    const outcomes: RowOutcome[] = [];
    const next = { ...counters };
    for (const row of batch) {
      next.rows++;
      switch (row.outcome) {
        case 'rejected': {
          rejections.push({ rowNumber: row.rowNumber, sourceRecordId: row.sourceRecordId, reasons: row.reasons, raw: row.raw, contentType: context.contentType, event: row.rejection });
          next.rejected++;
          outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: row.sourceRecordId, outcome: 'rejected', reasons: row.reasons });
          break;
        }
        case 'accepted': {
          const held = current.get(row.sourceRecordId);
          if (held && !held.withdrawn && held.version === row.version) {
            next.duplicates++;
            profiler?.duplicate();
            seen.push(row.sourceRecordId);
            outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: row.sourceRecordId, outcome: 'duplicate' });
            break;
          }
          // an observation the new version no longer yields (a person removed from a nested record) is withdrawn
          const dropped = held && !held.withdrawn ? held.observations.filter((old) => !row.observations.some((o) => o.topic === old.topic && o.sourceRecordId === old.sourceRecordId)) : [];
          const revision = held ? held.revision + 1 : 1;
          if (dropped.length) {
            messages.push(...atRevision(withdrawalEvents(context, { sourceRecordId: row.sourceRecordId, version: held!.version, observations: dropped, reason: 'DELETED_AT_SOURCE' }).slice(1), revision));
          }
          messages.push(...atRevision(row.messages, revision));
          changes.push({ sourceRecordId: row.sourceRecordId, version: row.version, observations: row.observations, withdrawn: false, revision });
          current.set(row.sourceRecordId, { version: row.version, observations: row.observations, withdrawn: false, revision });
          next.accepted++;
          outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: row.sourceRecordId, outcome: 'accepted' });
          break;
        }
        case 'withdrawn': {
          const held = current.get(row.sourceRecordId);
          if (!held || held.withdrawn) {
            next.duplicates++;
            outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: row.sourceRecordId, outcome: 'duplicate' });
            break;
          }
          const revision = held.revision + 1;
          messages.push(...atRevision(withdrawalEvents(context, { sourceRecordId: row.sourceRecordId, version: held.version, observations: held.observations, reason: 'DELETED_AT_SOURCE' }), revision));
          changes.push({ sourceRecordId: row.sourceRecordId, version: held.version, observations: held.observations, withdrawn: true, revision });
          current.set(row.sourceRecordId, { ...held, withdrawn: true, revision });
          next.withdrawn++;
          outcomes.push({ rowNumber: row.rowNumber, sourceRecordId: row.sourceRecordId, outcome: 'withdrawn' });
          break;
        }
        default: {
          const unknown: never = row;
          throw new Error(`unknown outcome ${(unknown as { outcome: string }).outcome}`);
        }
      }
    }
    next.events += messages.length + rejections.length;
    phaseTimings.decide += since(mark);
    return { messages, changes, seen: feed.kind === 'snapshot' ? seen : [], rejections, outcomes, counters: next };
  }

  private async commit(feed: CompiledFeed, context: RowContext, decided: Decided): Promise<void> {
    await this.store.commitBatch(feed.name, context.loadId, decided.changes, decided.seen, decided.rejections, decided.counters);
  }

  /**
   * Applies a file's batches with the database and Kafka work of neighbouring batches
   * overlapped: a batch is published once the previous batch's events are acknowledged, and
   * committed once its own events are acknowledged and the previous batch has committed. So
   * every batch is still published before it is recorded, batches are recorded in order,
   * and one key's events reach Kafka in file order; a crash leaves at most the last two
   * batches published but unrecorded, which the next run publishes again with the same ids.
   *
   * A lookup does not see what batches not yet committed when it began will record: their
   * changes are held in memory (`uncommitted`) and take precedence over what it returns. An
   * entry is dropped only for a lookup that began after its batch committed: a lookup already
   * running when a commit lands may have read the table before it (dropping the entry when the
   * commit landed let such a lookup decide against the older version).
   */
  private pipeline(feed: CompiledFeed, context: RowContext, counters: LoadCounters, profiler: QualityProfiler) {
    const uncommitted = new Map<string, { held: HeldRecord; batch: number }>();
    let committing: Promise<void> = Promise.resolve();
    /** The last batch whose commit has finished (commits finish in batch order). */
    let committedThrough = 0;
    let batches = 0;
    return {
      apply: async (batch: readonly BuiltRow[]): Promise<void> => {
        const number = ++batches;
        const visibleThrough = committedThrough;
        let mark = process.hrtime.bigint();
        const current = await this.store.held(feed.name, heldIds(batch));
        phaseTimings.lookup += since(mark);
        for (const [id, entry] of uncommitted) if (entry.batch <= visibleThrough) uncommitted.delete(id);
        for (const row of batch) if (row.outcome !== 'rejected' && uncommitted.has(row.sourceRecordId)) current.set(row.sourceRecordId, uncommitted.get(row.sourceRecordId)!.held);
        const decided = this.decide(feed, context, batch, current, counters, profiler);
        Object.assign(counters, decided.counters);
        for (const change of decided.changes) uncommitted.set(change.sourceRecordId, { held: { version: change.version, observations: change.observations, withdrawn: change.withdrawn, revision: change.revision }, batch: number });
        mark = process.hrtime.bigint();
        await this.publisher.publish(decided.messages);
        phaseTimings.publish += since(mark);
        mark = process.hrtime.bigint();
        await committing;
        phaseTimings.commit += since(mark);
        committing = this.commit(feed, context, decided).then(() => {
          committedThrough = number;
        });
        // surfaces at the next await of `committing`; not an unhandled rejection meanwhile
        committing.catch(() => undefined);
      },
      finish: async (): Promise<void> => {
        const mark = process.hrtime.bigint();
        await committing;
        phaseTimings.commit += since(mark);
      },
    };
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
        const mark = process.hrtime.bigint();
        const problem = (await this.headerProblem(feed, absolute)) ?? (await this.rejectRateCheck(feed, absolute));
        phaseTimings.precheck += since(mark);
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
      // Batches are parsed, mapped and encoded ahead (in a worker thread by default) while
      // earlier ones are looked up, published and committed (see pipeline()).
      const pipeline = this.pipeline(feed, context, counters, profiler);
      const built = this.build(feed, absolute, context, options.onBytes);
      try {
        for (let mark = process.hrtime.bigint(), next = await built.next(); !next.done; mark = process.hrtime.bigint(), next = await built.next()) {
          phaseTimings.waitForBuild += since(mark);
          if (next.value.kind === 'batch') await pipeline.apply(next.value.rows);
          else profiler.absorb(next.value.counts);
        }
      } finally {
        // stops the worker if the load ends early
        await built.return(undefined);
      }
      await pipeline.finish();
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
      await this.publisher.publish(held.flatMap((record) => atRevision(withdrawalEvents(context, { sourceRecordId: record.sourceRecordId, version: record.held.version, observations: record.held.observations, reason: 'LOAD_UNDONE' }), record.held.revision + 1)));
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
    for (let after: string | undefined; ; ) {
      const missing = await this.store.missingFromSnapshot(feed.name, context.loadId, this.batchSize, after);
      if (missing.length === 0) return;
      after = missing[missing.length - 1]!.sourceRecordId;
      await this.publisher.publish(missing.flatMap((record) => atRevision(withdrawalEvents(context, { sourceRecordId: record.sourceRecordId, version: record.held.version, observations: record.held.observations as ObservationRef[], reason: 'MISSING_FROM_SNAPSHOT' }), record.held.revision + 1)));
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
    const job = this.workerJob(feed, path);
    if (!job) return countFile(feed, path, { ...readOptions(feed), onBytes });
    const { parts, ...counts } = await countInWorkers(job, { threads: this.countThreads, onBytes });
    this.logger.debug({ feed: feed.name, path, parts }, 'pre-check counted');
    return counts;
  }

  /** Built batches of a file, in file order, then the quality profile of its rows. */
  private async *build(feed: CompiledFeed, path: string, context: RowContext, onBytes?: (bytes: number) => void): AsyncGenerator<WorkerBuildEvent> {
    const job = this.workerJob(feed, path, context);
    if (job) {
      yield* buildInWorker(job, onBytes);
      return;
    }
    const source = buildFile(feed, context, path, { ...readOptions(feed), onBytes, batchSize: this.batchSize });
    for (let mark = process.hrtime.bigint(), next = await source.next(); !next.done; mark = process.hrtime.bigint(), next = await source.next()) {
      phaseTimings.build += since(mark);
      yield next.value.kind === 'batch' ? next.value : { kind: 'profile', counts: next.value.profile.counts() };
    }
  }

  /** The worker's job for this file, or undefined to work in this thread (asked to, or feeds not compiled from folders a worker can read). */
  private workerJob(feed: CompiledFeed, path: string, context?: RowContext): Omit<BuildJob, 'mode'> | undefined {
    const source = this.feeds.source;
    if (this.buildIn !== 'worker' || !source) return undefined;
    return {
      feedDirs: source.dirs, date: source.date, feedName: feed.name, path, readOptions: readOptions(feed), batchSize: this.batchSize, credits: 3,
      context: context ?? this.context(feed, 'dry-run', 'text/plain'),
    };
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
