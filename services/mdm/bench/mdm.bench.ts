// `npm run bench:mdm [-- --rows N]`: drains a preloaded person-observed topic through the mdm
// service (its own process, from its build) and reports observations/s at 10%, 50% and 100%
// of the load, with the service's peak RSS. N synthetic persons (default 200,000, the
// bench-people feed, one record each) are loaded through ingest first. Prints figures;
// asserts nothing. Own database and topic prefix, removed after.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, openDatabase, PlatformTables1764133200000, platformProducerConfig } from '@hub/platform';
import { ServiceProcess, withIsolatedRun } from '@hub/testkit';
import { Client } from 'pg';
import { makeBenchFile } from '../../ingest/bench/make-bench-file';
import { IngestTables1764140000000 } from '../../ingest/src/database/ingest-tables.migration';
import { FeedRegistry } from '../../ingest/src/feeds/feed-registry';
import { LoadRunner } from '../../ingest/src/loads/load-runner';
import { RecordStore } from '../../ingest/src/loads/record-store';
import { KafkaPublisher } from '../../ingest/src/publishing/kafka-publisher';

const args = process.argv.slice(2);
const ROWS = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 200_000;
const root = join(__dirname, '..', '..', '..');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function main(): Promise<void> {
  const file = join(root, '.data', 'bench', `bench-people-${ROWS}.csv`);
  if (!existsSync(file)) {
    mkdirSync(join(root, '.data', 'bench'), { recursive: true });
    await makeBenchFile(file, ROWS);
  }
  await withIsolatedRun('benchmdm', async ({ prefix, databaseUrl, kafka }) => {
    const url = new URL(databaseUrl);
    let mdm: ServiceProcess | undefined;
    try {
      // 1. preload: every person once from bench-people
      const ingestDb = await openDatabase({ url: url.toString(), schema: 'ingest', migrations: [PlatformTables1764133200000, IngestTables1764140000000], poolSize: 4 });
      const producer = kafka.producer(platformProducerConfig);
      await producer.connect();
      const runner = new LoadRunner(FeedRegistry.fromDirectory(), new RecordStore(ingestDb, prefix), new KafkaPublisher(producer, prefix), ingestDb, createLogger('bench-mdm', 'warn'), 2000);
      process.stderr.write(`preloading ${ROWS.toLocaleString()} person observations through ingest…\n`);
      const loaded = await runner.loadFile('bench-people', file, { release: true });
      await producer.disconnect();
      await ingestDb.destroy();

      // 2. drain them through mdm
      const started = Date.now();
      mdm = await ServiceProcess.start('mdm', { DATABASE_URL: url.toString(), KAFKA_BROKERS: brokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' });
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      const marks: Record<string, number> = {};
      let peakRss = 0;
      for (;;) {
        const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM mdm.observation_log WHERE kind IN ('observed', 'withdrawn')`)).rows;
        const rss = Number((await (await fetch(`${mdm.url}/metrics`)).text()).match(/process_resident_memory_bytes\{[^}]*\} (\d+)/)?.[1] ?? 0);
        peakRss = Math.max(peakRss, rss);
        for (const share of [0.1, 0.5, 1]) if (n >= loaded.accepted * share && marks[share] === undefined) marks[share] = (Date.now() - started) / 1000;
        if (n >= loaded.accepted) break;
        if (process.stderr.isTTY) process.stderr.write(`\r${n.toLocaleString()} / ${loaded.accepted.toLocaleString()}   `);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const [{ active }] = (await db.query(`SELECT count(*)::int AS active FROM mdm.master WHERE status = 'active'`)).rows;
      await db.end();
      const rate = (from: number, to: number, t0: number, t1: number) => Math.round(((to - from) * loaded.accepted) / (t1 - t0));
      process.stdout.write(`${JSON.stringify({
        benchmark: 'mdm', observations: loaded.accepted, masters: active, seconds: marks[1],
        observationsPerSecondTo10pct: rate(0, 0.1, 0, marks[0.1]!), observationsPerSecond10to50pct: rate(0.1, 0.5, marks[0.1]!, marks[0.5]!), observationsPerSecond50to100pct: rate(0.5, 1, marks[0.5]!, marks[1]!),
        overallPerSecond: Math.round(loaded.accepted / marks[1]!), peakRssMiB: Math.round(peakRss / 2 ** 20), note: 'includes the service start (replay of an empty log, model load)',
      })}\n`);
    } finally {
      await mdm?.stop();
    }
  });
}

main().catch((error) => {
  process.stderr.write(`bench:mdm failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
