// The demo flow through the running stack: a synthetic city (medium scale: 50,000 persons)
// is generated once, then its partner feeds' deliveries are dropped, delivery by delivery,
// into the running ingest service's drop folder, and what ingest made of them is printed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@hub/contracts';
import { consumerGroupProgress } from '@hub/platform';

const root = join(__dirname, '..', '..');
const scale = process.env.DEMO_SCALE ?? 'medium';
const city = join(root, '.data', `demo-city-${scale}`);
const dropDir = process.env.INGEST_DROP_DIR ?? join(root, '.run', 'drop');

interface Manifest {
  feeds: { name: string; deliveries: { index: number; file: string; rows: number }[] }[];
}

function say(message: string): void {
  process.stderr.write(`[demo] ${message}\n`);
}

async function waitForReports(files: { feed: string; name: string }[], timeoutMs: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  const reports: Record<string, unknown>[] = [];
  const pending = new Set(files.map((file) => `${file.feed}/${file.name}`));
  while (pending.size > 0) {
    for (const key of [...pending]) {
      const [feed, name] = key.split('/') as [string, string];
      for (const outcome of ['.done', '.quarantined', '.failed']) {
        const report = join(dropDir, feed, outcome, `${name}.report.json`);
        if (existsSync(report)) {
          try {
            reports.push(JSON.parse(readFileSync(report, 'utf8')));
            pending.delete(key);
          } catch {
            // still being written by an older ingest; read it on the next round
          }
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`ingest did not handle ${pending.size} files in time; see .run/logs/ingest.log`);
    if (pending.size) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return reports;
}

/**
 * Waits until mdm's consumer group has consumed every person observation ingest published, so
 * that the figures below describe the whole city; prints progress while it waits. Since
 * ingest takes a delivery in a couple of seconds, mdm is still resolving when the last file is
 * loaded. Gives up (and reports what there is so far) after DEMO_MDM_WAIT_SECONDS (900).
 */
async function waitForMdm(): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const prefix = process.env.TOPIC_PREFIX ?? '';
  const topic = `${prefix}${TOPICS.personObserved.name}`;
  const limitMs = Number(process.env.DEMO_MDM_WAIT_SECONDS ?? 900) * 1000;
  const admin = new Kafka({ clientId: 'demo', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const started = Date.now();
    let lastSaid = 0;
    for (;;) {
      const { published: total, consumed } = await consumerGroupProgress(admin, `${prefix}mdm`, topic);
      const behind = total - consumed;
      if (behind === 0) {
        say(`mdm has resolved all ${total.toLocaleString()} person events on ${topic}`);
        return;
      }
      if (Date.now() - started > limitMs) {
        say(`mdm is still ${behind.toLocaleString()} person events behind after ${Math.round(limitMs / 1000)} s; the figures below are what it has resolved so far`);
        return;
      }
      if (Date.now() - lastSaid >= 5000) {
        say(`waiting for mdm: ${(total - behind).toLocaleString()} of ${total.toLocaleString()} person events resolved (${Math.round((100 * (total - behind)) / Math.max(1, total))}%)`);
        lastSaid = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await admin.disconnect();
  }
}

/** What mdm has made of the person observations so far (it keeps resolving in the background). */
async function reportMasters(): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hub' });
  try {
    await client.connect();
    const [log] = (await client.query(`SELECT count(*)::int AS n FROM mdm.observation_log WHERE kind IN ('observed', 'withdrawn')`)).rows;
    const [masters] = (await client.query(`SELECT count(*) FILTER (WHERE status = 'active')::int AS active, count(*) FILTER (WHERE status = 'alias')::int AS aliases FROM mdm.master`)).rows;
    process.stdout.write(`mdm: ${log.n.toLocaleString()} person observations resolved into ${masters.active.toLocaleString()} master persons (${masters.aliases} merged away)\n`);
  } catch {
    process.stdout.write('mdm: no master persons yet\n');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** mdm's own view so far: match rate per feed, the review queue and suspect masters (internal API). */
async function reportMatching(): Promise<void> {
  const tokenFile = join(root, '.run', 'secrets', 'mdm-service-token');
  const token = process.env.MDM_SERVICE_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (!token) return;
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${process.env.MDM_URL ?? 'http://127.0.0.1:3002'}/internal/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  try {
    const { feeds } = await get<{ feeds: { sourceSystem: string; records: number; rate: number }[] }>('/reports/match-rate');
    const review = await get<{ total: number }>('/review?limit=1');
    const suspects = await get<{ total: number }>('/reports/suspects');
    const busiest = [...feeds].sort((a, b) => b.records - a.records).slice(0, 8);
    process.stdout.write(`mdm match rate (records linked to another record), largest feeds: ${busiest.map((f) => `${f.sourceSystem} ${(f.rate * 100).toFixed(0)}%`).join(', ')}\n`);
    process.stdout.write(`mdm review queue: ${review.total.toLocaleString()} pairs waiting; suspect masters: ${suspects.total.toLocaleString()}\n`);
  } catch {
    process.stdout.write('mdm: its reports are not available yet\n');
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(city, 'manifest.json'))) {
    say(`generating the synthetic city (${scale} scale)…`);
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'run-ts.mjs'), 'libs/synthetic/src/cli/datagen.ts', '--scale', scale, '--seed', '1', '--out', city], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
    if (result.status !== 0) throw new Error('datagen failed');
  }
  const manifest = JSON.parse(readFileSync(join(city, 'manifest.json'), 'utf8')) as Manifest;
  const rounds = Math.max(...manifest.feeds.map((feed) => feed.deliveries.length));
  const totals = new Map<string, { loads: number; rows: number; accepted: number; rejected: number; duplicates: number; withdrawn: number; quarantined: number }>();
  const started = Date.now();
  for (let round = 0; round < rounds; round++) {
    const batch: { feed: string; name: string }[] = [];
    for (const feed of manifest.feeds) {
      const delivery = feed.deliveries[round];
      if (!delivery) continue;
      const source = join(city, delivery.file);
      const name = delivery.file.split('/').pop()!;
      if (existsSync(join(dropDir, feed.name, '.done', name))) continue;
      mkdirSync(join(dropDir, feed.name), { recursive: true });
      copyFileSync(source, join(dropDir, feed.name, `.${name}.part`));
      // appear under the final name only when complete
      renameSync(join(dropDir, feed.name, `.${name}.part`), join(dropDir, feed.name, name));
      batch.push({ feed: feed.name, name });
    }
    say(`delivery round ${round + 1}/${rounds}: ${batch.length} files dropped`);
    for (const report of await waitForReports(batch, 600_000)) {
      const feed = String(report.feed);
      const total = totals.get(feed) ?? { loads: 0, rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, quarantined: 0 };
      total.loads++;
      for (const key of ['rows', 'accepted', 'rejected', 'duplicates', 'withdrawn'] as const) total[key] += Number(report[key] ?? 0);
      if (report.status === 'quarantined') total.quarantined++;
      totals.set(feed, total);
    }
  }
  const rows = [...totals].sort(([a], [b]) => a.localeCompare(b));
  const header = ['feed', 'loads', 'rows', 'accepted', 'rejected', 'duplicates', 'withdrawn', 'quarantined'];
  const table = [header, ...rows.map(([feed, t]) => [feed, t.loads, t.rows, t.accepted, t.rejected, t.duplicates, t.withdrawn, t.quarantined].map(String))];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  process.stdout.write(`\n${table.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n')}\n`);
  const sum = (key: 'rows' | 'accepted' | 'rejected') => rows.reduce((total, [, t]) => total + t[key], 0);
  process.stdout.write(`\n${rows.length} feeds, ${sum('rows').toLocaleString()} rows (${sum('accepted').toLocaleString()} accepted, ${sum('rejected').toLocaleString()} rejected) through ingest in ${Math.round((Date.now() - started) / 1000)} s\n`);
  process.stdout.write(`city: ${city} (truth files in truth/)   drop folder: ${dropDir}\n`);
  await waitForMdm().catch((error: unknown) => say(`could not ask Kafka how far mdm is (${(error as Error).message}); the figures below are what it has resolved so far`));
  await reportMasters();
  await reportMatching();
  process.stdout.write('next: npm run feed -- profile police-offences   |   npm run mdm -- suspects   |   npm run mdm -- review --limit 5   |   docs/portal-api.md for reading masters\n');
}

main().catch((error) => {
  say(`demo failed: ${(error as Error).message}`);
  process.exit(1);
});
