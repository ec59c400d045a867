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
