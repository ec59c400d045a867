// Deliveries for the evaluation: every source record id (and every nested person's key)
// replaced by a random opaque id, the truth column blanked, the rows in a random order, each
// delivery rewritten as UTF-8 for a copy of its feed's configuration. The mapping from opaque
// ids back to the truth stays here; nothing of the truth reaches the pipeline.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultFeedsDir, FeedRegistry } from '../../../ingest/src/feeds/feed-registry';
import { readRows } from '../../../ingest/src/loads/source-reader';

/** One feed's deliveries, loaded in this order; `side` is the file a record came from (linkage). */
export interface SourceSpec {
  feed: string;
  files: string[];
  side: number;
  /** The truth of a top-level record (by its original key and row). */
  truthOfRow?: (originalKey: string, row: Record<string, unknown>) => string | undefined;
  /** The truth of a nested person (by its original key). */
  truthOfNested?: (originalRef: string, item: Record<string, unknown>) => string | undefined;
  /** A column to blank before loading (the truth column of a benchmark file). */
  blank?: string;
}

export interface PreparedDelivery {
  feed: string;
  file: string;
  rows: Record<string, unknown>[];
}

export interface Prepared {
  feedsDir: string;
  deliveries: PreparedDelivery[];
  /** `<source system>/<opaque id>` of every person key handed out -> its truth and side. */
  truth: Map<string, { truth: string | undefined; side: number; original: string }>;
  unparseable: number;
  /** Empty delivery files, skipped. */
  empty: number;
}

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (values: readonly string[]) => values.map(csvField).join(',');

const opaqueId = (random: () => number) => `x${Math.floor(random() * 2 ** 40).toString(36)}${randomBytes(4).toString('hex')}`;

/**
 * A folder of feed configurations: the shipped ones, any extra mapping, and, for the feeds
 * evaluated, a copy that reads UTF-8 with "," (the rewritten deliveries).
 */
export function writeFeedsDir(dir: string, rewritten: readonly string[], extraMappings: readonly string[] = []): string {
  const feedsDir = join(dir, 'feeds');
  mkdirSync(feedsDir, { recursive: true });
  for (const file of readdirSync(defaultFeedsDir).filter((f) => /\.ya?ml$/.test(f))) copyFileSync(join(defaultFeedsDir, file), join(feedsDir, file));
  for (const mapping of extraMappings) copyFileSync(mapping, join(feedsDir, basename(mapping)));
  for (const file of readdirSync(feedsDir).filter((f) => /\.ya?ml$/.test(f))) {
    const config = parse(readFileSync(join(feedsDir, file), 'utf8')) as Record<string, unknown>;
    if (!rewritten.includes(String(config.name))) continue;
    config.encoding = 'utf-8';
    if (config.format === 'csv') config.csv = { delimiter: ',', quote: '"', skipInitialSpace: false };
    writeFileSync(join(feedsDir, file), stringify(config));
  }
  return feedsDir;
}

/** `combine`: every file of one feed is one delivery (the two files of a linkage). */
export async function prepareDeliveries(sources: readonly SourceSpec[], dir: string, random: () => number, extraMappings: readonly string[] = [], combine = false): Promise<Prepared> {
  const extraDir = join(dir, 'extra-feeds');
  mkdirSync(extraDir, { recursive: true });
  for (const mapping of extraMappings) copyFileSync(mapping, join(extraDir, basename(mapping)));
  const original = FeedRegistry.fromDirectories([defaultFeedsDir, extraDir]);
  const truth: Prepared['truth'] = new Map();
  const deliveries: PreparedDelivery[] = [];
  let unparseable = 0;
  let empty = 0;
  const groups: { name: string; feed: string; index: number; rows: Record<string, unknown>[] }[] = [];
  for (const source of sources) {
    const feed = original.get(source.feed);
    const nested = feed.config.nested;
    const keys = new Map<string, string>();
    const refs = new Map<string, string>();
    const opaque = (map: Map<string, string>, key: string) => {
      let id = map.get(key);
      if (id === undefined) map.set(key, (id = opaqueId(random)));
      return id;
    };
    for (const [index, file] of source.files.entries()) {
      // an empty file is refused whole by ingest (INGEST.EMPTY): not a delivery
      if (statSync(file).size === 0) {
        empty++;
        continue;
      }
      const rows: Record<string, unknown>[] = [];
      for await (const read of readRows(file, { format: feed.format, encoding: feed.encoding, csv: feed.csv ?? undefined })) {
        if ('error' in read) {
          unparseable++;
          continue;
        }
        const row = { ...read.row };
        const key = String(row[feed.keyColumn] ?? '').trim();
        if (key !== '') {
          const id = opaque(keys, key);
          row[feed.keyColumn] = id;
          // with nested persons, the row itself is not a person record
          if (!nested) truth.set(`${feed.sourceSystem}/${id}`, { truth: source.truthOfRow?.(key, row), side: source.side, original: key });
        }
        if (nested && Array.isArray(row[nested.field])) {
          row[nested.field] = (row[nested.field] as Record<string, unknown>[]).map((item, n) => {
            const copy = { ...item };
            const ref = nested.key ? String(copy[nested.key] ?? '').trim() : `${key}/${n + 1}`;
            if (ref === '' || ref === '/') return copy;
            const id = nested.key ? opaque(refs, ref) : `${row[feed.keyColumn] as string}/${n + 1}`;
            if (nested.key) copy[nested.key] = id;
            truth.set(`${feed.sourceSystem}/${id}`, { truth: source.truthOfNested?.(ref, item), side: source.side, original: ref });
            return copy;
          });
        }
        if (source.blank) row[source.blank] = '';
        rows.push(row);
      }
      // two files of one feed (a linkage) go in as one delivery: a second snapshot would withdraw the first
      const group = combine ? source.feed : `${source.feed}/${String(source.side)}-${String(index + 1).padStart(2, '0')}-${basename(file).replace(/\.[a-z]+$/, '')}`;
      const existing = groups.find((g) => g.name === group);
      if (existing) existing.rows.push(...rows);
      else groups.push({ name: group, feed: source.feed, index, rows });
    }
  }
  // deliveries round by round (every feed's first, then every feed's second...), the feeds of a round in a random order
  const feedRank = new Map(sources.map((source) => [source.feed, random()]));
  groups.sort((a, b) => a.index - b.index || feedRank.get(a.feed)! - feedRank.get(b.feed)!);
  for (const { name, feed: feedName, rows } of groups) {
    const feed = original.get(feedName);
    // random order of records; rows of one record in one delivery keep their order
    const rank = new Map<unknown, number>();
    const ordered = rows
      .map((row, i) => {
        const key = row[feed.keyColumn];
        if (!rank.has(key)) rank.set(key, random());
        return { row, i, r: rank.get(key)! };
      })
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.row);
    const out = join(dir, 'deliveries', `${name}.${feed.format}`);
    mkdirSync(dirname(out), { recursive: true });
    if (feed.format === 'csv') {
      const header = feed.expectedColumns ?? Object.keys(ordered[0] ?? {});
      writeFileSync(out, `${csvLine(header)}\n${ordered.map((row) => csvLine(header.map((h) => String(row[h] ?? '')))).join('\n')}\n`);
    } else {
      writeFileSync(out, `${ordered.map((row) => JSON.stringify(row)).join('\n')}\n`);
    }
    deliveries.push({ feed: feedName, file: out, rows: ordered });
  }
  const feedsDir = writeFeedsDir(dir, [...new Set(sources.map((s) => s.feed))], extraMappings);
  return { feedsDir, deliveries, truth, unparseable, empty };
}
