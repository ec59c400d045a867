// `npm run linkage:eval -- --format <febrl|fake1000> <file> [--shuffles N] [--seed S]`
// Accuracy through the running pipeline: every source record id is replaced by a random opaque
// id (the mapping stays here), the records are shuffled, written as a delivery of the feed
// and loaded through ingest onto Kafka, the mdm service (its own process, from its build)
// resolves them, and the masters it commits are scored against the truth. The model is
// trained first without labels on the same records, as mdm would train on what it holds.
// Prints one JSON line per shuffle, then the mean and spread. Its own database and topics.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersonDetails } from '@hub/contracts';
import { createLogger, openDatabase, PlatformTables1764133200000, platformProducerConfig } from '@hub/platform';
import { loadTables, scoreClustering } from '@hub/synthetic';
import { ServiceProcess, withIsolatedRun } from '@hub/testkit';
import { Client } from 'pg';
import { IngestTables1764140000000 } from '../../ingest/src/database/ingest-tables.migration';
import { FeedRegistry } from '../../ingest/src/feeds/feed-registry';
import { LoadRunner } from '../../ingest/src/loads/load-runner';
import { RecordStore } from '../../ingest/src/loads/record-store';
import { KafkaPublisher } from '../../ingest/src/publishing/kafka-publisher';
import { buildNameTables, seededRandom, toMatchRecord, trainModel } from '../src/matching/domain';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const format = option('format');
const file = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'))[0];
const shuffles = Number(option('shuffles') ?? 1);
const seed = Number(option('seed') ?? 1);
const layouts = {
  febrl: { feed: 'febrl', key: 'rec_id', truth: (row: Record<string, string>) => /^rec-(\d+)-/.exec(row.rec_id!)?.[1] ?? row.rec_id! },
  fake1000: { feed: 'fake1000', key: 'unique_id', truth: (row: Record<string, string>) => row.cluster! },
} as const;
if (!file || !format || !(format in layouts)) {
  process.stderr.write('usage: npm run linkage:eval -- --format <febrl|fake1000> <file> [--shuffles N] [--seed S]\n');
  process.exit(2);
}
const layout = layouts[format as keyof typeof layouts];
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function readRows(path: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  return { header, rows: lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i]!, cell.trim()]))) };
}

async function evaluateOnce(shuffle: number) {
  const started = Date.now();
  const random = seededRandom(seed + shuffle);
  const { header, rows } = readRows(file!);
  const truthOf = new Map<string, string>();
  const hidden = rows.map((row) => {
    const id = `x${Math.floor(random() * 2 ** 48).toString(36)}${randomBytes(3).toString('hex')}`;
    truthOf.set(id, layout.truth(row));
    const copy: Record<string, string> = { ...row, [layout.key]: id };
    if (format === 'fake1000') copy.cluster = ''; // the truth column never reaches the pipeline
    return copy;
  });
  for (let i = hidden.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [hidden[i], hidden[j]] = [hidden[j]!, hidden[i]!];
  }
  const dir = mkdtempSync(join(tmpdir(), 'hub-linkage-'));
  const delivery = join(dir, `${layout.feed}.csv`);
  writeFileSync(delivery, `${header.join(',')}\n${hidden.map((row) => header.map((h) => row[h] ?? '').join(',')).join('\n')}\n`);

  // the model, trained without labels on the records as ingest maps them
  const feeds = FeedRegistry.fromDirectory();
  const feed = feeds.get(layout.feed);
  const names = buildNameTables(loadTables().names);
  const persons = hidden.flatMap((row) => {
    const mapped = feed.mapRow(row);
    return mapped.outcome === 'accepted' && mapped.records[0]?.type === 'person' ? [mapped.records[0].person as PersonDetails] : [];
  });
  const model = trainModel(persons.map((person, i) => toMatchRecord(`t${i}`, layout.feed, person, { names })));
  const modelFile = join(dir, 'model.json');
  writeFileSync(modelFile, JSON.stringify(model));

  return withIsolatedRun('linkage', async ({ prefix, databaseUrl, kafka }) => {
    const url = new URL(databaseUrl);
    let mdm: ServiceProcess | undefined;
    try {
      const ingestDb = await openDatabase({ url: url.toString(), schema: 'ingest', migrations: [PlatformTables1764133200000, IngestTables1764140000000], poolSize: 2 });
      const producer = kafka.producer(platformProducerConfig);
      await producer.connect();
      const runner = new LoadRunner(feeds, new RecordStore(ingestDb, prefix), new KafkaPublisher(producer, prefix), ingestDb, createLogger('linkage-eval', 'warn'));
      const loaded = await runner.loadFile(layout.feed, delivery, { release: true });
      await producer.disconnect();
      await ingestDb.destroy();
      mdm = await ServiceProcess.start('mdm', { DATABASE_URL: url.toString(), KAFKA_BROKERS: brokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', MDM_MODEL_FILE: modelFile });
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      for (;;) {
        const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM mdm.observation_log WHERE kind IN ('observed', 'withdrawn')`)).rows;
        if (n >= loaded.accepted) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const masters: { id: string; records: string[] }[] = (await db.query(`SELECT id, records FROM mdm.master WHERE status = 'active'`)).rows;
      await db.end();
      const masterOf = new Map<string, string>();
      for (const master of masters) for (const key of master.records) masterOf.set(key.slice(layout.feed.length + 1), master.id);
      const ids = [...truthOf.keys()];
      // a record mdm never saw (rejected by ingest) counts as a master of its own
      const score = scoreClustering(ids.map((id) => masterOf.get(id) ?? `unseen:${id}`), ids.map((id) => truthOf.get(id)!));
      return {
        dataset: `${format}:${file!.split('/').pop()}`, shuffle, records: ids.length, ingested: loaded.accepted,
        truePairs: score.pairwise.truePairs, predictedPairs: score.pairwise.predictedPairs,
        precision: Number(score.pairwise.precision.toFixed(4)), recall: Number(score.pairwise.recall.toFixed(4)), f1: Number(score.pairwise.f1.toFixed(4)),
        pairF1: null, b3F1: Number(score.bcubed.f1.toFixed(4)), inReview: null, modelVersion: model.version, seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      };
    } finally {
      await mdm?.stop();
    }
  });
}

async function main(): Promise<void> {
  const results = [];
  for (let shuffle = 0; shuffle < shuffles; shuffle++) {
    const result = await evaluateOnce(shuffle);
    results.push(result);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  if (results.length > 1) {
    const f1s = results.map((r) => r.f1);
    process.stdout.write(`${JSON.stringify({ dataset: results[0]!.dataset, shuffles: results.length, meanF1: Number((f1s.reduce((a, b) => a + b, 0) / f1s.length).toFixed(4)), spread: Number((Math.max(...f1s) - Math.min(...f1s)).toFixed(4)) })}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`linkage:eval failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
