import { injectTraceHeaders } from '../telemetry/tracing';
import { shardOf } from './shard';

/** Whatever runs SQL in the caller's transaction: its EntityManager, or the transaction's own client. */
export interface OutboxQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** An event to publish once the transaction that wrote it commits. */
export interface OutboxMessage {
  topic: string;
  /** The Kafka key: the aggregate's id. Events of one key leave in the order they were written. */
  key: string;
  aggregateType: string;
  eventType: string;
  eventId: string;
  /** The encoded event (Avro single-object encoding); Latin1Bytes from a producer that holds many at once. */
  payload: Buffer | Latin1Bytes;
  headers?: Record<string, string>;
}

export const OUTBOX_SHARDS = 64;

/** PostgreSQL notification channel told, with the schema as payload, when outbox rows commit. */
export const OUTBOX_CHANNEL = 'hub_outbox';

/**
 * An event's bytes held as a Latin-1 string (one character per byte), turned back into bytes
 * only when pg writes the statement (pg asks through toPostgres, and binds a Buffer as before).
 * A Buffer per event, made when the event is encoded, lives until the statement is sent, after
 * every other event of the transaction has been built: long enough to outlive young
 * collections, and V8 starts a full marking of the heap for every 64 MiB of buffers kept past
 * them (docs/benchmarks.md). A string counts only towards the heap's ordinary growth.
 */
export class Latin1Bytes {
  constructor(readonly text: string) {}

  static of(bytes: Buffer): Latin1Bytes {
    return new Latin1Bytes(bytes.toString('latin1'));
  }

  toPostgres(): Buffer {
    return Buffer.from(this.text, 'latin1');
  }
}

/**
 * Appends events to the outbox inside the caller's transaction, so the state change and
 * the events it causes commit or vanish together. The caller must already hold the lock on
 * the aggregate (a row lock or a version check), which makes outbox ids follow the order in
 * which that aggregate's changes commit.
 */
export async function appendToOutbox(manager: OutboxQueryable, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const { sql, values } = outboxInsert(messages);
  await manager.query(sql, values);
}

function outboxInsert(messages: readonly OutboxMessage[]): { sql: string; values: unknown[] } {
  const traceHeaders = injectTraceHeaders();
  const columns = 8;
  const values: unknown[] = [];
  const rows: string[] = [];
  messages.forEach((message, index) => {
    const base = index * columns;
    rows.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8})`);
    values.push(
      shardOf(message.key, OUTBOX_SHARDS),
      message.topic,
      message.key,
      message.aggregateType,
      message.eventType,
      message.eventId,
      message.payload,
      JSON.stringify({ ...traceHeaders, ...message.headers, 'event-type': message.eventType, 'event-id': message.eventId }),
    );
  });
  // The notification is delivered when (and only if) the transaction commits: it wakes the
  // relays of this schema at once, instead of at their next poll.
  const sql = `WITH written AS (INSERT INTO outbox (shard, topic, message_key, aggregate_type, event_type, event_id, payload, headers) VALUES ${rows.join(', ')} RETURNING 1)
     SELECT pg_notify('${OUTBOX_CHANNEL}', current_schema()) FROM (SELECT 1 FROM written LIMIT 1) AS any_written`;
  return { sql, values };
}
