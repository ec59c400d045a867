import { Inject, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { FeedRegistry, IngestError } from '../feeds/feed-registry';
import { LoadRunner, type PreparedRow, type RowOutcome } from '../loads/load-runner';

export interface RejectedRecordView {
  id: string;
  feed: string;
  load: string | null;
  rowNumber: number | null;
  sourceRecordId: string | null;
  reasons: { code: string; field: string; message: string }[];
  status: string;
  createdAt: string;
}

/**
 * Rejected records are kept with their reasons and original bytes until a person corrects
 * and replays them (or the feed resends them). Listing never shows the raw bytes: they are
 * personal data and the reasons say what is wrong.
 */
@Injectable()
export class RejectsService {
  constructor(
    @Inject(FeedRegistry) private readonly feeds: FeedRegistry,
    @Inject(LoadRunner) private readonly runner: LoadRunner,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async list(feed: string, options: { status?: string; code?: string; after?: number; limit?: number }): Promise<RejectedRecordView[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, feed, load_id, row_number, source_record_id, reasons, status, created_at FROM rejected_record
       WHERE feed = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR reasons @> jsonb_build_array(jsonb_build_object('code', $3::text)))
         AND id > $4 ORDER BY id LIMIT $5`,
      [feed, options.status ?? null, options.code ?? null, options.after ?? 0, limit],
    );
    return rows.map((row) => ({
      id: String(row.id), feed: String(row.feed), load: (row.load_id as string) ?? null, rowNumber: (row.row_number as number) ?? null,
      sourceRecordId: (row.source_record_id as string) ?? null, reasons: row.reasons as RejectedRecordView['reasons'], status: String(row.status),
      createdAt: new Date(row.created_at as string).toISOString(),
    }));
  }

  async countsByReason(feed: string): Promise<Record<string, number>> {
    const rows: { code: string; count: string }[] = await this.dataSource.query(
      `SELECT reason->>'code' AS code, count(*) AS count FROM rejected_record, jsonb_array_elements(reasons) AS reason WHERE feed = $1 AND status = 'open' GROUP BY 1 ORDER BY 2 DESC`,
      [feed],
    );
    return Object.fromEntries(rows.map((row) => [row.code, Number(row.count)]));
  }

  /**
   * Replays a rejected record, as it was (after a rule or mapping fix) or corrected (a JSON
   * object in the feed's record shape). It goes through the same mapping and rules as any
   * record; if it is rejected again the original stays open.
   */
  async replay(id: string, corrected?: Record<string, unknown>, partnerId?: string): Promise<RowOutcome> {
    const [row] = (await this.dataSource.query(`SELECT id, feed, raw, content_type, status FROM rejected_record WHERE id = $1`, [id])) as { id: string; feed: string; raw: Buffer; content_type: string; status: string }[];
    if (!row) throw new IngestError('INGEST.UNKNOWN_REJECT', `no rejected record ${JSON.stringify(String(id).slice(0, 40))}`, 404);
    const feed = this.feeds.get(row.feed);
    if (partnerId && feed.partner !== partnerId) throw new IngestError('AUTH.FORBIDDEN_FEED', `this partner may not replay records of feed ${row.feed}`, 403);
    if (row.status !== 'open') throw new IngestError('INGEST.REJECT_NOT_OPEN', `rejected record ${id} is ${row.status}`, 409);
    const record = corrected ?? this.parseRaw(feed, row.raw, row.content_type);
    const raw = corrected ? Buffer.from(JSON.stringify(corrected), 'utf8') : row.raw;
    const prepared: PreparedRow = record
      ? { rowNumber: null, raw, mapped: feed.mapRow(record) }
      : { rowNumber: null, raw, mapped: { outcome: 'unparseable', code: 'INGEST.RAW_NOT_PARSEABLE', message: 'the original bytes cannot be parsed; send a corrected record' } };
    const loadId = `replay-${id}`;
    await this.dataSource.query(`INSERT INTO load (id, feed, way_in, status) VALUES ($1, $2, 'replay', 'running') ON CONFLICT (id) DO UPDATE SET status = 'running'`, [loadId, feed.name]);
    const [outcome] = await this.runner.applyBatch(feed, this.runner.context(feed, loadId, corrected ? 'application/json' : row.content_type), [prepared], { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, events: 0 });
    await this.dataSource.query(`UPDATE load SET status = 'completed', finished_at = now() WHERE id = $1`, [loadId]);
    if (outcome!.outcome !== 'rejected') {
      await this.dataSource.query(`UPDATE rejected_record SET status = $2, resolved_at = now() WHERE id = $1`, [id, corrected ? 'corrected' : 'replayed']);
    }
    return outcome!;
  }

  private parseRaw(feed: ReturnType<FeedRegistry['get']>, raw: Buffer, contentType: string): Record<string, unknown> | undefined {
    try {
      if (contentType === 'text/csv') {
        const [values] = parse(raw.toString('utf8'), { delimiter: feed.csv?.delimiter ?? ',', quote: feed.csv?.quote ?? '"', ltrim: feed.csv?.skipInitialSpace ?? false, relax_column_count: true }) as string[][];
        if (!values || !feed.expectedColumns || values.length !== feed.expectedColumns.length) return undefined;
        return Object.fromEntries(feed.expectedColumns.map((column, index) => [column, values[index]]));
      }
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}
