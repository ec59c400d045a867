import type { PersonDetails } from '@hub/contracts';
import type { EntityManager } from 'typeorm';
import type { MatchModel, RecordedEdge } from '../matching/domain';

/** Anything that runs SQL: the data source, or a transaction's manager. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

export type LogEntry =
  | {
    kind: 'observed'; key: string; eventId: string; sourceSystem: string; sourceRecordId: string; sourceVersion: string; occurredAt: number; person: PersonDetails;
    /** The edges the record was given when it was resolved (in `detail`); a replay restores them instead of scoring again. */
    edges?: readonly RecordedEdge[];
  }
  | { kind: 'withdrawn'; key: string; eventId: string; sourceSystem: string; sourceRecordId: string; sourceVersion: string; occurredAt: number; person: null }
  | { kind: 'must-link' | 'cannot-link'; a: string; b: string; decidedBy: string; note: string | null; decidedAt: number }
  | { kind: 'model-promoted'; version: string; promotedBy: string; promotedAt: number };

export type ReplayedEntry = (LogEntry & { seq: number }) & { model?: MatchModel };

/**
 * The transaction's own connection, whose statements leave the moment they are made. TypeORM's
 * query() awaits twice (its connection, its BeforeQuery broadcast) before it sends anything, so
 * a statement made through it and not yet awaited reaches PostgreSQL only when this process
 * next yields: after whatever it computes next. Through the client, PostgreSQL executes it
 * while this process goes on. Statements on one connection still run one at a time, in order.
 * On a connection in pipeline mode (mdm's: main.ts) every statement is sent at once, so
 * PostgreSQL runs the next as soon as the last is done; otherwise pg keeps it until this
 * process reads the answer before it (pg 8 warns of that, once, as deprecated for pg 9).
 */
export async function immediateQueries(manager: EntityManager): Promise<Queryable> {
  if (!manager.queryRunner) throw new Error('immediateQueries needs a transaction\'s manager');
  const client = (await manager.queryRunner.connect()) as { query(sql: string, parameters?: unknown[]): Promise<{ rows: unknown[] }> };
  return { query: async (sql, parameters) => (await client.query(sql, parameters)).rows };
}

/**
 * Held for the length of a transaction by the one mdm process that is changing masters:
 * resolution is a single ordered history, whichever process and partition it comes from.
 * Keyed by schema, so that separate installations in one database do not wait for each other.
 */
export async function lockResolution(manager: Queryable): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':mdm-resolution'))`);
}

/** The sequence number of the log's newest entry (0 for an empty log). */
export async function lastLogSeq(db: Queryable): Promise<number> {
  const [{ last }] = (await db.query(`SELECT coalesce(max(seq), 0)::bigint AS last FROM observation_log`)) as { last: string }[];
  return Number(last);
}

/** Log entries after `afterSeq`, in order, a page at a time. */
export async function readLog(db: Queryable, afterSeq: number, limit: number): Promise<ReplayedEntry[]> {
  const rows: Array<{
    seq: string; record_key: string; kind: LogEntry['kind']; event_id: string; source_system: string; source_record_id: string; source_version: string;
    occurred_at: string; person: PersonDetails | null; detail: Record<string, unknown> | null; params: MatchModel | null;
  }> = await db.query(
    `SELECT l.seq, l.record_key, l.kind, l.event_id, l.source_system, l.source_record_id, l.source_version, l.occurred_at, l.person, l.detail, m.params
       FROM observation_log l LEFT JOIN match_model m ON l.kind = 'model-promoted' AND m.version = l.detail->>'version'
      WHERE l.seq > $1 ORDER BY l.seq LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map((row): ReplayedEntry => {
    const seq = Number(row.seq);
    const detail = row.detail ?? {};
    switch (row.kind) {
      case 'observed':
      case 'withdrawn':
        return {
          seq, kind: row.kind, key: row.record_key, eventId: row.event_id, sourceSystem: row.source_system, sourceRecordId: row.source_record_id,
          sourceVersion: row.source_version, occurredAt: Number(row.occurred_at), person: row.person,
          // entries logged before edges were recorded have none: the replay scores those
          ...(row.kind === 'observed' && Array.isArray(detail.edges) ? { edges: detail.edges as RecordedEdge[] } : {}),
        } as ReplayedEntry;
      case 'must-link':
      case 'cannot-link':
        return { seq, kind: row.kind, a: String(detail.a), b: String(detail.b), decidedBy: String(detail.decidedBy), note: (detail.note as string | null) ?? null, decidedAt: Number(row.occurred_at) };
      case 'model-promoted':
        if (!row.params) throw new Error(`the log promotes model ${String(detail.version)}, which match_model does not hold`);
        return { seq, kind: row.kind, version: String(detail.version), promotedBy: String(detail.promotedBy), promotedAt: Number(row.occurred_at), model: row.params };
    }
  });
}

/**
 * A JSON parameter written when pg binds it, not when the statement is made. Without pipeline
 * mode, pg runs one statement at a time on a connection and keeps the others, parameters and
 * all, until their turn; a document made early waits there long enough to be promoted to V8's
 * old generation, whose growth starts major markings of mdm's large heap. Made at bind time, it
 * is written to the socket at once and dies young. (mdm's connections are now pipelined, so
 * pg binds each statement when it is made; the document still lives only as long as the bind.)
 * `make` must give the same document whenever it runs (it reads only what the statement's
 * caller no longer changes).
 */
export class JsonAtBind {
  constructor(private readonly make: () => unknown) {}

  toPostgres(): string {
    return JSON.stringify(this.make());
  }
}

/**
 * Appends entries to the log; returns the highest sequence number written.
 *
 * The rows travel as one JSON document (jsonb_to_recordset), not as one array parameter per
 * column: the PostgreSQL client escapes every element of a text array character by character,
 * which cost more than the matching itself for a batch of observations with nested details.
 */
export async function appendToLog(manager: Queryable, entries: readonly LogEntry[]): Promise<number> {
  const isRecord = (e: LogEntry): e is Extract<LogEntry, { key: string }> => e.kind === 'observed' || e.kind === 'withdrawn';
  const rows = () => entries.map((e, n) => ({
    n,
    record_key: isRecord(e) ? e.key : '',
    kind: e.kind,
    event_id: isRecord(e) ? e.eventId : '',
    source_system: isRecord(e) ? e.sourceSystem : 'hub.mdm',
    source_record_id: isRecord(e) ? e.sourceRecordId : '',
    source_version: isRecord(e) ? e.sourceVersion : '',
    occurred_at: isRecord(e) ? e.occurredAt : e.kind === 'model-promoted' ? e.promotedAt : e.decidedAt,
    person: isRecord(e) ? e.person : null,
    detail:
      e.kind === 'must-link' || e.kind === 'cannot-link' ? { a: e.a, b: e.b, decidedBy: e.decidedBy, note: e.note }
      : e.kind === 'model-promoted' ? { version: e.version, promotedBy: e.promotedBy }
      : e.kind === 'observed' && e.edges ? { edges: e.edges }
      : null,
  }));
  const inserted: Array<{ seq: string }> = await manager.query(
    `INSERT INTO observation_log (record_key, kind, event_id, source_system, source_record_id, source_version, occurred_at, person, detail)
     SELECT record_key, kind, event_id, source_system, source_record_id, source_version, occurred_at, person, detail
       FROM jsonb_to_recordset($1::jsonb)
         AS t(n int, record_key text, kind text, event_id text, source_system text, source_record_id text, source_version text, occurred_at bigint, person jsonb, detail jsonb)
      ORDER BY n
     RETURNING seq`,
    [new JsonAtBind(rows)],
  );
  return Math.max(0, ...inserted.map((row) => Number(row.seq)));
}

/**
 * Upserts the read view of the masters a batch touched, in one statement. `rows` is the JSON
 * document `buildMasterWrites` makes: an array of
 * `{id, version, status, survivor_id, records, aliases, golden}`.
 */
export async function saveMasters(manager: Queryable, rows: string, modelVersion: string): Promise<void> {
  await manager.query(
    `INSERT INTO master (id, version, status, survivor_id, records, aliases, golden, model_version, updated_at)
     SELECT id, version, status, survivor_id, records, aliases, golden, $2, now()
       FROM jsonb_to_recordset($1::jsonb) AS t(id text, version int, status text, survivor_id text, records jsonb, aliases jsonb, golden jsonb)
     ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status, survivor_id = EXCLUDED.survivor_id,
       records = EXCLUDED.records, aliases = EXCLUDED.aliases, golden = EXCLUDED.golden, model_version = EXCLUDED.model_version, updated_at = now()`,
    [rows, modelVersion],
  );
}

export async function storeModel(db: Queryable, model: MatchModel, summary: unknown): Promise<void> {
  await db.query(`INSERT INTO match_model (version, params, summary) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING`, [model.version, JSON.stringify(model), JSON.stringify(summary)]);
}

export async function markPromoted(manager: Queryable, version: string): Promise<void> {
  await manager.query(`UPDATE match_model SET promoted_at = now() WHERE version = $1`, [version]);
}

export async function findModel(db: Queryable, version: string): Promise<MatchModel | undefined> {
  const [row] = (await db.query(`SELECT params FROM match_model WHERE version = $1`, [version])) as { params: MatchModel }[];
  return row?.params;
}

export async function listModels(db: Queryable): Promise<Array<{ version: string; createdAt: string; promotedAt: string | null; summary: unknown }>> {
  const rows: Array<{ version: string; created_at: Date; promoted_at: Date | null; summary: unknown }> = await db.query(
    `SELECT version, created_at, promoted_at, summary FROM match_model ORDER BY created_at DESC`,
  );
  return rows.map((r) => ({ version: r.version, createdAt: r.created_at.toISOString(), promotedAt: r.promoted_at?.toISOString() ?? null, summary: r.summary }));
}

export async function hasModelEntry(manager: Queryable): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM observation_log WHERE kind = 'model-promoted' LIMIT 1`);
  return rows.length > 0;
}
