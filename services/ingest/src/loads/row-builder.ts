import type { CompiledFeed } from '../feeds/domain';
import type { MappedRow, RuleFailure } from '../feeds/domain/mapped-row';
import { acceptedRowEvents, type ObservationRef, type OutgoingMessage, recordVersion, rejectionEvent, type RowContext } from '../publishing/row-events';
import { QualityProfiler } from '../quality/quality-profile';
import { readRows, type ReadOptions, type SourceRow } from './source-reader';

/**
 * A row with everything that needs no database: its mapping outcome and, for an accepted
 * row, its version, encoded events and observations; for a rejected one, its reasons and
 * RecordRejected event. Whether an accepted row is new, changed or a duplicate is decided
 * later against the held versions, and the events of a duplicate are then dropped.
 */
export type BuiltRow =
  | { rowNumber: number | null; outcome: 'accepted'; sourceRecordId: string; version: string; messages: OutgoingMessage[]; observations: ObservationRef[] }
  | { rowNumber: number | null; outcome: 'withdrawn'; sourceRecordId: string }
  | { rowNumber: number | null; outcome: 'rejected'; sourceRecordId: string | null; reasons: RuleFailure[]; raw: Buffer; rejection: OutgoingMessage };

/** Builds one parsed (or unparseable) source row; the profiler sees every row where it is mapped. */
export function buildRow(feed: CompiledFeed, context: RowContext, row: SourceRow, profiler: QualityProfiler): BuiltRow {
  const mapped = 'error' in row ? { outcome: 'unparseable' as const, code: row.error.code, message: row.error.message } : feed.mapRow(row.row);
  profiler.observe(mapped);
  return buildMapped(context, row.rowNumber, row.raw, mapped);
}

export function buildMapped(context: RowContext, rowNumber: number | null, raw: Buffer, mapped: MappedRow | { outcome: 'unparseable'; code: string; message: string }): BuiltRow {
  switch (mapped.outcome) {
    case 'unparseable':
      return rejected(context, rowNumber, null, [{ code: mapped.code, field: 'row', message: mapped.message }], raw);
    case 'rejected':
      return rejected(context, rowNumber, mapped.sourceRecordId, mapped.reasons, raw);
    case 'withdrawn':
      return { rowNumber, outcome: 'withdrawn', sourceRecordId: mapped.sourceRecordId };
    case 'accepted': {
      const version = recordVersion(mapped.sourceVersion, mapped.records);
      const produced = acceptedRowEvents(context, { sourceRecordId: mapped.sourceRecordId, version, occurredAt: mapped.occurredAt, records: mapped.records, raw, rowNumber });
      return { rowNumber, outcome: 'accepted', sourceRecordId: mapped.sourceRecordId, version, messages: produced.messages, observations: produced.observations };
    }
    default: {
      const unknown: never = mapped;
      throw new Error(`unknown outcome ${(unknown as { outcome: string }).outcome}`);
    }
  }
}

function rejected(context: RowContext, rowNumber: number | null, sourceRecordId: string | null, reasons: RuleFailure[], raw: Buffer): BuiltRow {
  return { rowNumber, outcome: 'rejected', sourceRecordId, reasons, raw, rejection: rejectionEvent(context, { sourceRecordId, rowNumber, reasons, raw }) };
}

/** What a build pass over a file yields, in file order: batches of built rows, then the quality profile of every row. */
export type BuildEvent = { kind: 'batch'; rows: BuiltRow[] } | { kind: 'profile'; profile: QualityProfiler };

/** Reads, parses, maps, versions and encodes a delivery file, batch by batch, in file order. */
export async function* buildFile(feed: CompiledFeed, context: RowContext, path: string, options: ReadOptions & { batchSize: number }): AsyncGenerator<BuildEvent> {
  const profiler = new QualityProfiler();
  let rows: BuiltRow[] = [];
  for await (const row of readRows(path, options)) {
    rows.push(buildRow(feed, context, row, profiler));
    if (rows.length >= options.batchSize) {
      yield { kind: 'batch', rows };
      rows = [];
    }
  }
  if (rows.length) yield { kind: 'batch', rows };
  yield { kind: 'profile', profile: profiler };
}

/** What a dry run counts: the rows a load would accept, reject or withdraw, and rejects by reason. */
export interface DryRunCounts {
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  withdrawn: number;
  rejectsByReason: Record<string, number>;
}

/** Parses and maps a delivery without building events: the pre-check that decides quarantine. */
export async function countFile(feed: CompiledFeed, path: string, options: ReadOptions): Promise<DryRunCounts> {
  const counts: DryRunCounts = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, rejectsByReason: {} };
  for await (const row of readRows(path, { ...options, countOnly: true })) {
    counts.rows++;
    const mapped = 'error' in row ? { outcome: 'unparseable' as const, code: row.error.code } : feed.mapRow(row.row);
    if (mapped.outcome === 'accepted') counts.accepted++;
    else if (mapped.outcome === 'withdrawn') counts.withdrawn++;
    else {
      counts.rejected++;
      const codes = mapped.outcome === 'rejected' ? mapped.reasons.map((r) => r.code) : [mapped.code];
      for (const code of codes) counts.rejectsByReason[code] = (counts.rejectsByReason[code] ?? 0) + 1;
    }
  }
  return counts;
}
