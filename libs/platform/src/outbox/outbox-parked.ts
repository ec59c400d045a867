import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the relay moves an outbox row that Kafka refuses for good (today: larger than the
 * broker or topic accepts), with the reason and the original bytes, so that its shard keeps
 * flowing and nothing is dropped silently. An operator looks at it, fixes the cause (a
 * larger `max.message.bytes` on the topic, a smaller event) and moves it back to `outbox`.
 */
const createParkedTable = `
  CREATE TABLE IF NOT EXISTS outbox_parked (
    id bigint PRIMARY KEY,
    shard smallint NOT NULL,
    topic text NOT NULL,
    message_key text NOT NULL,
    aggregate_type text NOT NULL,
    event_type text NOT NULL,
    event_id text NOT NULL,
    payload bytea NOT NULL,
    headers jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    parked_at timestamptz NOT NULL DEFAULT now(),
    reason_code text NOT NULL,
    reason text NOT NULL
  )`;

/**
 * The parked-messages table as a migration, for services to list after PlatformTables.
 * A service that does not list it still gets the table: the relay creates it, in the
 * session's schema, the first time it parks a row (the same statement, so both agree).
 */
export class OutboxParkedTable1764150000000 implements MigrationInterface {
  name = 'OutboxParkedTable1764150000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(createParkedTable);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS outbox_parked`);
  }
}

export async function ensureParkedTable(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query(createParkedTable);
}

/** Moves one outbox row aside in one statement: it is either still in the outbox or parked, never both or neither. */
export const parkRowSql = `
  WITH moved AS (DELETE FROM outbox WHERE id = $1 RETURNING *)
  INSERT INTO outbox_parked (id, shard, topic, message_key, aggregate_type, event_type, event_id, payload, headers, created_at, reason_code, reason)
  SELECT id, shard, topic, message_key, aggregate_type, event_type, event_id, payload, headers, created_at, $2, $3 FROM moved
  ON CONFLICT (id) DO NOTHING`;

const refusedForGood = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

/**
 * The Kafka error type when the broker refused a produce for a reason that retrying the same
 * bytes can never cure (kafkajs wraps protocol errors, so the chain is followed).
 */
export function refusedForGoodType(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const candidate = current as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
    if (typeof candidate.type === 'string' && refusedForGood.has(candidate.type)) return candidate.type;
    if (Array.isArray(candidate.errors)) {
      for (const inner of candidate.errors) {
        const found = refusedForGoodType(inner);
        if (found) return found;
      }
    }
    current = candidate.originalError ?? candidate.cause;
  }
  return undefined;
}

/** What an operator sees of a parked message (the bytes stay in the table). */
export interface ParkedMessage {
  id: string;
  topic: string;
  key: string;
  eventType: string;
  eventId: string;
  bytes: number;
  createdAt: string;
  parkedAt: string;
  reasonCode: string;
  reason: string;
}

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown>;

/** Parked messages, oldest first; empty when nothing was ever parked (no table yet). */
export async function listParked(query: Query, limit = 1000): Promise<ParkedMessage[]> {
  await ensureParkedTable(query);
  const rows = (await query(
    `SELECT id, topic, message_key, event_type, event_id, octet_length(payload) AS bytes, created_at, parked_at, reason_code, reason
       FROM outbox_parked ORDER BY id LIMIT $1`,
    [limit],
  )) as Array<{ id: string; topic: string; message_key: string; event_type: string; event_id: string; bytes: number; created_at: Date; parked_at: Date; reason_code: string; reason: string }>;
  return rows.map((r) => ({
    id: String(r.id), topic: r.topic, key: r.message_key, eventType: r.event_type, eventId: r.event_id, bytes: Number(r.bytes),
    createdAt: r.created_at.toISOString(), parkedAt: r.parked_at.toISOString(), reasonCode: r.reason_code, reason: r.reason,
  }));
}

/**
 * Moves parked messages back to the outbox (all of them when `ids` is undefined), in one
 * statement, with their original ids, shards and bytes: the relays send them as they send
 * anything else, once the cause is fixed. Consumers are idempotent by event id, so a message
 * that reaches Kafka twice this way is applied once. Returns the ids moved.
 */
export async function replayParked(query: Query, ids?: readonly string[]): Promise<string[]> {
  await ensureParkedTable(query);
  const rows = (await query(
    `WITH moved AS (DELETE FROM outbox_parked WHERE $1::bigint[] IS NULL OR id = ANY($1::bigint[]) RETURNING *)
     INSERT INTO outbox (id, shard, topic, message_key, aggregate_type, event_type, event_id, payload, headers, created_at)
     SELECT id, shard, topic, message_key, aggregate_type, event_type, event_id, payload, headers, created_at FROM moved
     RETURNING id`,
    [ids === undefined ? null : ids.map((id) => String(id))],
  )) as Array<{ id: string }>;
  return rows.map((r) => String(r.id)).sort((a, b) => Number(a) - Number(b));
}
