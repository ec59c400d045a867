import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { DataSource, QueryRunner } from 'typeorm';
import { describeFailure } from '../kafka/failures';
import { platformAcks, platformCompression } from '../kafka/producer-settings';
import type { PlatformMetrics } from '../metrics/metrics';
import { ensureParkedTable, parkRowSql, refusedForGoodType } from './outbox-parked';
import { OUTBOX_CHANNEL, OUTBOX_SHARDS } from './outbox-writer';

export { OutboxParkedTable1764150000000, listParked, replayParked, type ParkedMessage } from './outbox-parked';

export interface OutboxRelayOptions {
  logger: Logger;
  metrics?: PlatformMetrics;
  /** Rows published per round trip. */
  batchSize?: number;
  /** Longest wait when the outbox is empty (a commit that writes outbox rows ends it at once). */
  idleMs?: number;
  /** At most this many shards per relay, so that several relays share the work. */
  maxShards?: number;
  /** How often a relay tries to take shards nobody holds (a relay that died frees its shards). */
  claimEveryMs?: number;
}


interface OutboxRow {
  id: string;
  event_type: string;
  event_id: string;
  topic: string;
  message_key: string;
  payload: Buffer;
  headers: Record<string, string>;
}

/** Well under the broker's message.max.bytes (8 MiB as infra/kafka runs it, 1 MiB by Kafka's default). */
const MAX_REQUEST_BYTES = 512 * 1024;

function chunksOf(rows: OutboxRow[]): OutboxRow[][] {
  const chunks: OutboxRow[][] = [];
  let current: OutboxRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = row.payload.length + row.message_key.length + 200;
    if (current.length && bytes + size > MAX_REQUEST_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type NotificationListener = (message: { channel: string; payload?: string }) => void;

/** The pg client under typeorm's PostgreSQL query runner (where LISTEN's notifications arrive). */
function notificationClient(session: QueryRunner): { on(event: 'notification', listener: NotificationListener): void; removeListener(event: 'notification', listener: NotificationListener): void } | undefined {
  return (session as unknown as { databaseConnection?: ReturnType<typeof notificationClient> }).databaseConnection;
}

/**
 * Publishes committed outbox rows to Kafka, oldest first, and deletes them once Kafka has
 * acknowledged them. Rows are sharded by key; a relay publishes only the shards whose
 * session advisory lock it holds, so several relays can run and one key's events still
 * leave in the order they were written. A relay that dies drops its database session and
 * with it its locks; another relay takes the shards over and starts from the oldest row
 * left, so a row may be published twice (consumers are idempotent) but never lost or
 * reordered.
 *
 * A row Kafka refuses for good (larger than the broker's or topic's limit) is moved to
 * `outbox_parked` with the reason and its bytes, counted and logged as an error, and the
 * shard goes on with the next rows, including later rows of the same key: one event is
 * missing downstream rather than every later event of that key (see docs/architecture.md).
 */
export class OutboxRelay {
  private lockSession: QueryRunner | undefined;
  private held: number[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;
  private lastClaim = 0;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly maxShards: number;
  private readonly claimEveryMs: number;
  private parkedTableReady = false;
  /** Set by a commit notification; ends the current idle wait, or skips the next one. */
  private nudged = false;
  private wake: (() => void) | undefined;
  private schema: string | undefined;
  private readonly parked: Counter<'topic' | 'reason'> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.idleMs = options.idleMs ?? 50;
    this.maxShards = options.maxShards ?? OUTBOX_SHARDS;
    this.claimEveryMs = options.claimEveryMs ?? 2000;
    const registry = options.metrics?.registry;
    if (registry) {
      // several relays may share one registry: the counter is registered once
      this.parked = (registry.getSingleMetric('hub_outbox_parked_total') as Counter<'topic' | 'reason'> | undefined)
        ?? new Counter({ name: 'hub_outbox_parked_total', help: 'Outbox rows Kafka refused for good, moved to outbox_parked', labelNames: ['topic', 'reason'], registers: [registry] });
    }
  }

  get heldShards(): readonly number[] {
    return this.held;
  }

  start(): void {
    this.stopping = false;
    this.running = this.loop();
  }

  /** Finishes the batch in hand, then gives its shards back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    await this.releaseLocks();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.claimShards();
        const published = this.held.length > 0 ? await this.publishBatch() : 0;
        failures = 0;
        if (published < this.batchSize) await this.idle();
      } catch (error) {
        failures++;
        this.options.logger.warn({ error: describeFailure(error), failures }, 'outbox relay failed; will retry');
        await this.releaseLocks();
        await sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** Waits up to idleMs, less if rows of this schema commit meanwhile. */
  private idle(): Promise<void> {
    if (this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.idleMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private readonly onNotification: NotificationListener = (message) => {
    if (message.channel !== OUTBOX_CHANNEL || message.payload !== this.schema) return;
    if (this.wake) this.wake();
    else this.nudged = true;
  };

  /** Listens on the lock session for commits of outbox rows in this relay's schema. */
  private async listen(session: QueryRunner): Promise<void> {
    const [row] = (await session.query('SELECT current_schema() AS schema')) as { schema: string }[];
    this.schema = row?.schema;
    const client = notificationClient(session);
    if (!client) return;
    client.on('notification', this.onNotification);
    await session.query(`LISTEN ${OUTBOX_CHANNEL}`);
  }

  private async claimShards(): Promise<void> {
    if (this.held.length >= this.maxShards || Date.now() - this.lastClaim < this.claimEveryMs) return;
    this.lastClaim = Date.now();
    if (!this.lockSession) {
      this.lockSession = this.dataSource.createQueryRunner();
      await this.lockSession.connect();
      await this.listen(this.lockSession);
    }
    const free = Array.from({ length: OUTBOX_SHARDS }, (_, shard) => shard).filter((shard) => !this.held.includes(shard));
    // Advisory locks are per database, and services share one database with a schema each:
    // the first half of each lock key is the schema's hash, so each service's relays compete
    // only with each other.
    const rows: { shard: number; locked: boolean }[] = await this.lockSession.query(
      `SELECT s AS shard, pg_try_advisory_lock(hashtext(current_schema()), s) AS locked FROM unnest($1::int[]) AS s LIMIT $2`,
      [free, this.maxShards - this.held.length],
    );
    const claimed = rows.filter((row) => row.locked).map((row) => row.shard);
    if (claimed.length > 0) {
      this.held = [...this.held, ...claimed].sort((a, b) => a - b);
      this.options.logger.info({ claimed: claimed.length, held: this.held.length }, 'outbox shards claimed');
    }
  }

  /** One round: read the oldest rows of our shards, publish them, delete them. */
  async publishBatch(): Promise<number> {
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT id, topic, message_key, payload, headers, event_type, event_id FROM outbox WHERE shard = ANY($1::smallint[]) ORDER BY id LIMIT $2`,
      [this.held, this.batchSize],
    );
    this.options.metrics?.outboxPending.set(rows.length);
    if (rows.length === 0) return 0;
    const published: string[] = [];
    // Sent in chunks of at most MAX_REQUEST_BYTES, in order: a record batch larger than the
    // broker's message.max.bytes is refused whole, and would block the shard forever.
    for (const chunk of chunksOf(rows)) {
      try {
        await this.send(chunk);
        published.push(...chunk.map((row) => row.id));
      } catch (error) {
        if (!refusedForGoodType(error)) throw error;
        // Kafka will never take this chunk: send its rows one by one, in order, and park
        // only the rows it refuses, so the rest of the shard keeps flowing.
        for (const row of chunk) {
          try {
            await this.send([row]);
            published.push(row.id);
          } catch (rowError) {
            const type = refusedForGoodType(rowError);
            if (!type) throw rowError;
            await this.park(row, type, rowError);
          }
        }
      }
    }
    if (published.length > 0) await this.dataSource.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [published]);
    this.options.metrics?.outboxPublished.inc(published.length);
    return rows.length;
  }

  private async send(rows: readonly OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.message_key, value: row.payload, headers: row.headers });
      byTopic.set(row.topic, messages);
    }
    await this.producer.sendBatch({
      acks: platformAcks,
      compression: platformCompression,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    for (const [topic, messages] of byTopic) this.options.metrics?.produced.inc({ topic }, messages.length);
  }

  /** Moves a row Kafka refuses for good to outbox_parked, with why, in one statement. */
  private async park(row: OutboxRow, type: string, error: unknown): Promise<void> {
    if (!this.parkedTableReady) {
      await ensureParkedTable((sql) => this.dataSource.query(sql));
      this.parkedTableReady = true;
    }
    const reason = `${describeFailure(error)} (${row.payload.length} bytes)`;
    await this.dataSource.query(parkRowSql, [row.id, `KAFKA.${type}`, reason]);
    this.parked?.inc({ topic: row.topic, reason: type });
    // ids and sizes only: the key and payload may hold personal data
    this.options.logger.error(
      { outboxId: row.id, topic: row.topic, eventType: row.event_type, eventId: row.event_id, bytes: row.payload.length, code: `KAFKA.${type}` },
      'outbox message refused by Kafka for good; parked in outbox_parked, shard continues',
    );
  }

  private async releaseLocks(): Promise<void> {
    const session = this.lockSession;
    this.lockSession = undefined;
    this.held = [];
    this.lastClaim = 0;
    if (!session) return;
    // Closing the session releases every advisory lock it holds, even if the unlock fails.
    await session.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    // the connection goes back to the pool: it must not keep listening for this relay
    await session.query('UNLISTEN *').catch(() => undefined);
    notificationClient(session)?.removeListener('notification', this.onNotification);
    await session.release().catch(() => undefined);
  }
}
