import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FeedRegistry, IngestError } from '../feeds/feed-registry';
import { LoadRunner, type PreparedRow, type RowOutcome } from '../loads/load-runner';

export interface PushReceipt {
  receipt: string;
  feed: string;
  accepted: number;
  rejected: number;
  duplicates: number;
  withdrawn: number;
  outcomes: { index: number; sourceRecordId: string | null; outcome: RowOutcome['outcome']; reasons?: { code: string; field: string; message: string }[] }[];
}

/** One receipt per partner and Idempotency-Key. */
function receiptIdFor(partnerId: string, idempotencyKey: string): string {
  return `rcpt-${createHash('sha256').update(`${partnerId}\n${idempotencyKey}`).digest('hex').slice(0, 24)}`;
}

/**
 * Records pushed by partner systems. A receipt is given only once every accepted record is
 * on Kafka; the same Idempotency-Key returns the same receipt, and a key reused for a
 * different request is refused.
 */
@Injectable()
export class PushService {
  constructor(
    @Inject(FeedRegistry) private readonly feeds: FeedRegistry,
    @Inject(LoadRunner) private readonly runner: LoadRunner,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  feedFor(partnerId: string, feedName: string) {
    const feed = this.feeds.get(feedName);
    if (feed.partner !== partnerId) throw new IngestError('AUTH.FORBIDDEN_FEED', `this partner may not write to feed ${feedName}`, 403);
    return feed;
  }

  async push(partnerId: string, feedName: string, idempotencyKey: string, records: unknown[]): Promise<{ receipt: PushReceipt; replayed: boolean }> {
    const feed = this.feedFor(partnerId, feedName);
    const requestHash = createHash('sha256').update(feedName).update('\n').update(JSON.stringify(records)).digest('hex');
    const earlier = await this.earlierReceipt(partnerId, idempotencyKey, requestHash);
    if (earlier) return { receipt: earlier, replayed: true };
    const receiptId = receiptIdFor(partnerId, idempotencyKey);
    const rows: PreparedRow[] = records.map((record, index) => {
      const raw = Buffer.from(JSON.stringify(record) ?? 'null', 'utf8');
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        return { rowNumber: index + 1, raw, mapped: { outcome: 'unparseable', code: 'INGEST.RECORD_NOT_OBJECT', message: 'each record must be a JSON object' } };
      }
      return { rowNumber: index + 1, raw, mapped: feed.mapRow(record as Record<string, unknown>) };
    });
    return { receipt: await this.apply(feed.name, receiptId, rows, partnerId, idempotencyKey, requestHash), replayed: false };
  }

  async withdraw(partnerId: string, feedName: string, sourceRecordId: string, idempotencyKey: string): Promise<{ receipt: PushReceipt; replayed: boolean }> {
    const feed = this.feedFor(partnerId, feedName);
    const requestHash = createHash('sha256').update(`DELETE ${feedName} ${sourceRecordId}`).digest('hex');
    const earlier = await this.earlierReceipt(partnerId, idempotencyKey, requestHash);
    if (earlier) return { receipt: earlier, replayed: true };
    const receiptId = receiptIdFor(partnerId, idempotencyKey);
    const row: PreparedRow = { rowNumber: 1, raw: Buffer.from(sourceRecordId, 'utf8'), mapped: { outcome: 'withdrawn', sourceRecordId, occurredAt: null } };
    return { receipt: await this.apply(feed.name, receiptId, [row], partnerId, idempotencyKey, requestHash), replayed: false };
  }

  private async apply(feedName: string, receiptId: string, rows: PreparedRow[], partnerId: string, idempotencyKey: string, requestHash: string): Promise<PushReceipt> {
    const feed = this.feeds.get(feedName);
    await this.dataSource.query(`INSERT INTO load (id, feed, way_in, status) VALUES ($1, $2, 'api', 'running') ON CONFLICT (id) DO NOTHING`, [receiptId, feed.name]);
    const counters = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, events: 0 };
    const outcomes = await this.runner.applyBatch(feed, this.runner.context(feed, receiptId, 'application/json'), rows, counters);
    const receipt: PushReceipt = {
      receipt: receiptId, feed: feed.name, accepted: counters.accepted, rejected: counters.rejected, duplicates: counters.duplicates, withdrawn: counters.withdrawn,
      outcomes: outcomes.map((outcome, index) => ({ index, sourceRecordId: outcome.sourceRecordId, outcome: outcome.outcome, ...(outcome.reasons ? { reasons: outcome.reasons } : {}) })),
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE load SET status = 'completed', finished_at = now() WHERE id = $1`, [receiptId]);
      await manager.query(
        `INSERT INTO idempotency_key (partner_id, key, request_sha256, receipt) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [partnerId, idempotencyKey, requestHash, JSON.stringify(receipt)],
      );
    });
    return receipt;
  }

  private async earlierReceipt(partnerId: string, key: string, requestHash: string): Promise<PushReceipt | undefined> {
    const [row] = (await this.dataSource.query(`SELECT request_sha256, receipt FROM idempotency_key WHERE partner_id = $1 AND key = $2`, [partnerId, key])) as { request_sha256: string; receipt: PushReceipt }[];
    if (!row) return undefined;
    if (row.request_sha256 !== requestHash) {
      throw new IngestError('INGEST.IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request', 422);
    }
    return row.receipt;
  }
}
