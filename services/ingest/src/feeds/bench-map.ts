/**
 * Micro-benchmark of the pure mapping step: every delivery of a synthetic city is read into
 * memory first (so file reading and CSV parsing are not measured), then mapRow runs over all
 * rows a few times. Prints rows/s overall and per feed, with accepted/rejected/withdrawn counts.
 *
 *   node scripts/run-ts.mjs services/ingest/src/feeds/bench-map.ts <city dir> [rounds]
 *
 * A development tool: it reads YAML with the `yaml` package (a devDependency).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileFeed, loadFeedConfigs, type CompiledFeed } from './domain';

const CONFIG_DIR = join(__dirname, '..', '..', 'config', 'feeds');

/** RFC 4180 CSV into header-keyed rows; enough for the generator's files. */
function parseCsv(text: string, skipInitialSpace: boolean): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
      continue;
    }
    if (fieldStart && skipInitialSpace && ch === ' ') continue;
    fieldStart = false;
    if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cur); cur = ''; fieldStart = true; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cur); rows.push(row); row = []; cur = ''; fieldStart = true;
    } else cur += ch;
  }
  if (cur !== '' || row.length > 0) { row.push(cur); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

function readDelivery(feed: CompiledFeed, path: string): Array<Record<string, unknown>> {
  const bytes = readFileSync(path);
  let text = new TextDecoder(feed.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (feed.format === 'jsonl') return text.split('\n').filter((l) => l.trim().length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
  return parseCsv(text, feed.csv?.skipInitialSpace ?? false);
}

function main(): void {
  const cityDir = process.argv[2];
  const rounds = Number(process.argv[3] ?? 5);
  if (!cityDir) {
    process.stderr.write('usage: bench-map.ts <city dir> [rounds]\n');
    process.exit(2);
  }
  const files = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.yaml'));
  const configs = loadFeedConfigs(files.map((f) => ({ ...(parse(readFileSync(join(CONFIG_DIR, f), 'utf8')) as object), __file: f })));
  const feeds = new Map(configs.map((c) => [c.name, compileFeed(c, { today: new Date().toISOString().slice(0, 10) })]));
  const manifest = JSON.parse(readFileSync(join(cityDir, 'manifest.json'), 'utf8')) as { feeds: Array<{ name: string; deliveries: Array<{ file: string }> }> };
  const work: Array<{ feed: CompiledFeed; rows: Array<Record<string, unknown>> }> = [];
  for (const descriptor of manifest.feeds) {
    const feed = feeds.get(descriptor.name);
    if (!feed) throw new Error(`no configuration for feed ${descriptor.name}`);
    const rows = descriptor.deliveries.flatMap((d) => readDelivery(feed, join(cityDir, d.file)));
    work.push({ feed, rows });
  }
  const total = work.reduce((n, w) => n + w.rows.length, 0);
  const perFeed = new Map<string, { ms: number; rows: number; accepted: number; rejected: number; withdrawn: number; records: number; flags: number }>();
  // Warm-up round, so the figures are for optimised code.
  for (const w of work) for (const row of w.rows) w.feed.mapRow(row);
  const start = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    for (const w of work) {
      const stats = perFeed.get(w.feed.name) ?? { ms: 0, rows: 0, accepted: 0, rejected: 0, withdrawn: 0, records: 0, flags: 0 };
      const t0 = process.hrtime.bigint();
      for (const row of w.rows) {
        const mapped = w.feed.mapRow(row);
        if (round === 0) {
          stats[mapped.outcome] += 1;
          if (mapped.outcome === 'accepted') { stats.records += mapped.records.length; stats.flags += mapped.flags.length; }
        }
      }
      stats.ms += Number(process.hrtime.bigint() - t0) / 1e6;
      stats.rows += w.rows.length;
      perFeed.set(w.feed.name, stats);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rowsPerSecond = Math.round((total * rounds) / seconds);
  for (const [name, s] of [...perFeed].sort((a, b) => a[0].localeCompare(b[0]))) {
    process.stderr.write(`${name.padEnd(28)} ${String(Math.round(s.rows / (s.ms / 1000))).padStart(9)} rows/s  accepted ${s.accepted} rejected ${s.rejected} withdrawn ${s.withdrawn} records ${s.records} flags ${s.flags}\n`);
  }
  process.stdout.write(`${JSON.stringify({ feeds: work.length, rows: total, rounds, seconds: Number(seconds.toFixed(3)), rowsPerSecond })}\n`);
}

main();
