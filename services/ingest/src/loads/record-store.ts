import type { DataSource, EntityManager } from 'typeorm';
import { appendToOutbox } from '@hub/platform';
import type { RuleFailure } from '../feeds/domain/mapped-row';
import type { ObservationRef, OutgoingMessage } from '../publishing/row-events';

export interface HeldRecord {
  version: string;
  observations: ObservationRef[];
  withdrawn: boolean;
  /** 1 when first held, one more per change since (see the record-revision migration). */
  revision: number;
}

export interface RecordChange {
  sourceRecordId: string;
  version: string;
  observations: ObservationRef[];
  withdrawn: boolean;
  revision: number;
}

export interface StoredRejection {
  rowNumber: number | null;
  sourceRecordId: string | null;
  reasons: RuleFailure[];
  raw: Buffer;
  contentType: string;
  event: OutgoingMessage;
}

export interface LoadCounters {
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  withdrawn: number;
  events: number;
}

/**
 * What the hub holds of a batch's records ($1 feed, $2 ids). One primary-key probe per id,
 * forced: the LIMIT keeps PostgreSQL from turning the lateral subquery into a join, and such a
 * join it plans as a hash of the feed's every row (it prices 2,000 random probes above one
 * scan, and its statistics lag a table that grows by a load at a time), so each lookup cost
 * grew with the table: 12 ms at the start of a 200,000-row load, 236 ms at its end; probed, 4 ms.
 */
export const HELD_VERSIONS_SQL = `SELECT k.id AS source_record_id, s.version, s.observations, s.withdrawn, s.revision FROM unnest($2::text[]) AS k(id)
  CROSS JOIN LATERAL (SELECT version, observations, withdrawn, revision FROM source_record WHERE feed = $1 AND source_record_id = k.id LIMIT 1) s`;

/** A snapshot load saw these records ($1 feed, $2 ids, $3 load); after `probeByKey`. */
export const MARK_SEEN_SQL = `UPDATE source_record s SET seen_load_id = $3 FROM unnest($2::text[]) AS k(id) WHERE s.feed = $1 AND s.source_record_id = k.id`;

/** These records are withdrawn ($1 feed, $2 distinct ids, $3 load); after `probeByKey`. */
export const MARK_WITHDRAWN_SQL = `UPDATE source_record s SET withdrawn = true, revision = s.revision + 1, last_load_id = $3, seen_load_id = $3, updated_at = now()
  FROM unnest($2::text[]) AS k(id) WHERE s.feed = $1 AND s.source_record_id = k.id AND NOT s.withdrawn`;

/**
 * For the rest of the transaction, joins of a batch's ids with source_record probe the primary
 * key per id. Left to itself PostgreSQL hashes or scans every row of the feed instead (it prices
 * a few thousand random probes above one scan, and its statistics lag a table that grows by a
 * load at a time), which made each batch's cost grow with the table.
 */
export async function probeByKey(manager: EntityManager): Promise<void> {
  await manager.query(`SET LOCAL enable_hashjoin = off`);
  await manager.query(`SET LOCAL enable_mergejoin = off`);
}

/** Ingest's state in PostgreSQL: what it holds of each partner record, loads, rejects. */
export class RecordStore {
  /** `topicPrefix` is prepended to the topics of events written to the outbox (tests and environments use their own). */
  constructor(private readonly dataSource: DataSource, private readonly topicPrefix = '') {}

  async held(feed: string, ids: readonly string[]): Promise<Map<string, HeldRecord>> {
    if (ids.length === 0) return new Map();
    const rows: { source_record_id: string; version: string; observations: ObservationRef[]; withdrawn: boolean; revision: number }[] = await this.dataSource.query(
      HELD_VERSIONS_SQL,
      [feed, [...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.source_record_id, { version: row.version, observations: row.observations, withdrawn: row.withdrawn, revision: row.revision }]));
  }

  /**
   * Records a batch once its events are on Kafka: the record versions, the rejects (with
   * their RecordRejected events through the outbox) and the load's counters, in one
   * transaction. A crash before this commits republishes the batch on the next run, with the
   * same event ids, which consumers recognise.
   */
  async commitBatch(feed: string, loadId: string, changes: RecordChange[], seen: string[], rejections: StoredRejection[], counters: LoadCounters): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (changes.length) await this.upsertChanges(manager, feed, loadId, changes);
      if (seen.length) {
        await probeByKey(manager);
        await manager.query(MARK_SEEN_SQL, [feed, seen, loadId]);
      }
      if (rejections.length) {
        await manager.query(
          `INSERT INTO rejected_record (feed, load_id, row_number, source_record_id, reasons, raw, content_type)
           SELECT $1, $2, r.row_number, r.source_record_id, r.reasons, r.raw, r.content_type
           FROM unnest($3::int[], $4::text[], $5::jsonb[], $6::bytea[], $7::text[]) AS r(row_number, source_record_id, reasons, raw, content_type)`,
          [feed, loadId, rejections.map((r) => r.rowNumber), rejections.map((r) => r.sourceRecordId), rejections.map((r) => JSON.stringify(r.reasons)), rejections.map((r) => r.raw), rejections.map((r) => r.contentType)],
        );
        await appendToOutbox(manager, rejections.map((r) => ({
          topic: `${this.topicPrefix}${r.event.topic}`, key: r.event.key, aggregateType: 'partner-record', eventType: r.event.eventType, eventId: r.event.eventId, payload: r.event.value,
        })));
      }
      await manager.query(
        `UPDATE load SET rows = $2, accepted = $3, rejected = $4, duplicates = $5, withdrawn = $6, events = $7 WHERE id = $1`,
        [loadId, counters.rows, counters.accepted, counters.rejected, counters.duplicates, counters.withdrawn, counters.events],
      );
    });
  }

  private async upsertChanges(manager: EntityManager, feed: string, loadId: string, changes: RecordChange[]): Promise<void> {
    // the last change of a record in the batch wins; unnest needs one row per key
    const last = new Map(changes.map((change) => [change.sourceRecordId, change]));
    const list = [...last.values()];
    await manager.query(
      `INSERT INTO source_record (feed, source_record_id, version, observations, first_load_id, last_load_id, seen_load_id, withdrawn, revision, updated_at)
       SELECT $1, c.id, c.version, c.observations, $2, $2, $2, c.withdrawn, c.revision, now()
       FROM unnest($3::text[], $4::text[], $5::jsonb[], $6::boolean[], $7::int[]) AS c(id, version, observations, withdrawn, revision)
       ON CONFLICT (feed, source_record_id) DO UPDATE SET version = EXCLUDED.version, observations = EXCLUDED.observations,
         last_load_id = EXCLUDED.last_load_id, seen_load_id = EXCLUDED.seen_load_id, withdrawn = EXCLUDED.withdrawn, revision = EXCLUDED.revision, updated_at = now()`,
      [feed, loadId, list.map((c) => c.sourceRecordId), list.map((c) => c.version), list.map((c) => JSON.stringify(c.observations)), list.map((c) => c.withdrawn), list.map((c) => c.revision)],
    );
  }

  /**
   * Records of a snapshot feed that the finished load did not contain: they have been
   * withdrawn at source. A page at a time in key order, each page after the last one's key
   * (`after`), so that a long list does not make every page read the feed from its start.
   */
  async missingFromSnapshot(feed: string, loadId: string, limit: number, after?: string): Promise<{ sourceRecordId: string; held: HeldRecord }[]> {
    const rows: { source_record_id: string; version: string; observations: ObservationRef[]; revision: number }[] = await this.dataSource.query(
      `SELECT source_record_id, version, observations, revision FROM source_record
       WHERE feed = $1 AND NOT withdrawn AND seen_load_id IS DISTINCT FROM $2 AND ($4::text IS NULL OR source_record_id > $4)
       ORDER BY source_record_id LIMIT $3`,
      [feed, loadId, limit, after ?? null],
    );
    return rows.map((row) => ({ sourceRecordId: row.source_record_id, held: { version: row.version, observations: row.observations, withdrawn: false, revision: row.revision } }));
  }

  /**
   * Records a load brought or changed and that are still held: what undoing it withdraws, a
   * page at a time in no particular order (a withdrawn record leaves the load, so the next page
   * is simply the next `limit` found). Ordering them made every page read and sort all that
   * remained of the load: undoing 1,000,000 rows took 286 s against 24 s for 200,000.
   */
  async broughtBy(loadId: string, limit: number): Promise<{ feed: string; sourceRecordId: string; held: HeldRecord }[]> {
    const rows: { feed: string; source_record_id: string; version: string; observations: ObservationRef[]; revision: number }[] = await this.dataSource.query(
      `SELECT feed, source_record_id, version, observations, revision FROM source_record WHERE last_load_id = $1 AND NOT withdrawn LIMIT $2`,
      [loadId, limit],
    );
    return rows.map((row) => ({ feed: row.feed, sourceRecordId: row.source_record_id, held: { version: row.version, observations: row.observations, withdrawn: false, revision: row.revision } }));
  }

  async markWithdrawn(feed: string, ids: readonly string[], loadId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await probeByKey(manager);
      await manager.query(
        MARK_WITHDRAWN_SQL,
        [feed, [...new Set(ids)], loadId],
      );
    });
  }
}
