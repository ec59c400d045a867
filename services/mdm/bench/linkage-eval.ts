// `npm run linkage:eval -- --format <febrl|fake1000|synthetic> <file or folder> [<second file>] [--shuffles N] [--seed S]`
// `npm run linkage:eval -- --mapping <feed mapping.yaml> --truth <column> <file.csv> [<second file>] [--shuffles N]`
// Accuracy through the running pipeline: every source record id is replaced by a random opaque
// id (the mapping stays here), the records are shuffled, written as deliveries of their feed
// and loaded through ingest onto Kafka; the mdm service (its own process, from its build)
// resolves them, and the masters it commits are scored against the truth. The model is
// trained first without labels on the same records, as mdm would train on what it holds.
// With two files it is a linkage (only pairs across the files count), with one a
// deduplication; `--format synthetic <folder>` loads every delivery of the synthetic city's
// 37 feeds and scores the person masters against truth/records.csv (never loaded).
// After each run the log mdm kept is replayed through the library's IncrementalResolver with
// the same model; `equalsLibrary` says whether the clusters are the same.
// Prints one JSON line per shuffle, then (with --shuffles > 1) the mean and the f1 spread.
// Its own database and topics. `--save-model <file>` also writes the trained model there: the
// model mdm ships with (services/mdm/config/match-model.json) is made this way, from a
// synthetic city other than the demo's (see docs/mdm.md). `--model <file>` uses a model made
// before instead of training (for timing runs: training a large city takes minutes).
// `--heap-snapshot <file>` (with --library-only) writes a V8 heap snapshot once every record is
// resolved: what the resolver holds, object by object (open it in Chrome's DevTools).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sourceRecordKey, TOPICS, type PersonDetails } from '@hub/contracts';
import { consumerGroupProgress, createLogger, openDatabase, PlatformTables1764133200000, platformProducerConfig } from '@hub/platform';
import { loadTables, readRecordTruth } from '@hub/synthetic';
import { ServiceProcess, withIsolatedRun } from '@hub/testkit';
import { Client } from 'pg';
import { parse } from 'yaml';
import { IngestRecordRevision1764200000000, IngestTables1764140000000 } from '../../ingest/src/database/ingest-tables.migration';
import { FeedRegistry } from '../../ingest/src/feeds/feed-registry';
import { LoadRunner } from '../../ingest/src/loads/load-runner';
import { RecordStore } from '../../ingest/src/loads/record-store';
import { KafkaPublisher } from '../../ingest/src/publishing/kafka-publisher';
import { buildNameTables, DEFAULT_DECISION_POLICY, DEFAULT_RESOLVER_OPTIONS, IncrementalResolver, type MatchModel, seededRandom, toMatchRecord, trainModel } from '../src/matching/domain';
import { prepareDeliveries, type SourceSpec } from './linkage/deliveries';
import { diagnose } from './linkage/diagnosis';
import { score, type GraphPair } from './linkage/scoring';

const args = process.argv.slice(2);
const valued = new Set(['format', 'shuffles', 'seed', 'mapping', 'truth', 'save-model', 'model', 'heap-snapshot']);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const positional = args.filter((arg, i) => !arg.startsWith('--') && !(args[i - 1]?.startsWith('--') && valued.has(args[i - 1]!.slice(2))));
const mapping = option('mapping');
const truthColumn = option('truth');
const format = option('format') ?? (mapping ? 'csv' : undefined);
const shuffles = Number(option('shuffles') ?? 1);
const seed = Number(option('seed') ?? 1);
const keep = args.includes('--keep') || args.includes('--prepare-only');
const usage = 'usage: npm run linkage:eval -- --format <febrl|fake1000|synthetic> <file or folder> [<second file>] [--shuffles N] [--seed S] [--library-only [--heap-snapshot <file>]] [--save-model <file>] [--model <file>]\n'
  + '       npm run linkage:eval -- --mapping <feed mapping.yaml> --truth <column> <file.csv> [<second file>] [--shuffles N] [--seed S]\n';
if (!format || !['febrl', 'fake1000', 'synthetic', 'csv'].includes(format) || positional.length < 1 || positional.length > 2 || (format === 'csv' && (!mapping || !truthColumn))
  || (format === 'synthetic' && positional.length !== 1) || !Number.isInteger(shuffles) || shuffles < 1) {
  process.stderr.write(usage);
  process.exit(2);
}
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const linkage = positional.length === 2;
const names = buildNameTables(loadTables().names);
const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toFixed(digits)));

/** What to load, per format: the feeds, their files in delivery order, and where the truth is. */
function sources(): { dataset: string; specs: SourceSpec[] } {
  if (format === 'synthetic') {
    const dir = positional[0]!;
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { feeds: { name: string; deliveries: { file: string }[] }[]; scale?: string; seed?: string };
    const truth = readRecordTruth(dir);
    return {
      dataset: `synthetic:${basename(dir)}`,
      specs: manifest.feeds.map((feed) => ({
        feed: feed.name, side: 0, files: feed.deliveries.map((d) => join(dir, d.file)),
        truthOfRow: (key) => truth.get(`${feed.name}\t${key}`)?.personId,
        truthOfNested: (ref) => truth.get(`${feed.name}\t${ref}`)?.personId,
      })),
    };
  }
  const feed = format === 'febrl' ? 'febrl' : format === 'fake1000' ? 'fake1000' : String((parse(readFileSync(mapping!, 'utf8')) as { name: string }).name);
  const truthOfRow = format === 'febrl'
    ? (key: string) => /^rec-(\d+)-/.exec(key)?.[1] ?? key
    : (_key: string, row: Record<string, unknown>) => String(row[format === 'fake1000' ? 'cluster' : truthColumn!] ?? '').trim() || undefined;
  const blank = format === 'fake1000' ? 'cluster' : format === 'csv' ? truthColumn : undefined;
  return {
    dataset: `${format === 'csv' ? feed : format}:${positional.map((p) => basename(p)).join('+')}`,
    specs: positional.map((file, side) => ({ feed, side, files: [file], truthOfRow, blank })),
  };
}

/**
 * Until mdm's consumer group has committed every message on its topic (it commits a batch
 * after the batch's transaction): counting log rows is not enough, since an event delivered
 * twice is logged once.
 */
async function waitForMdm(db: Client, admin: Parameters<typeof consumerGroupProgress>[0], topic: string, groupId: string, mdm: ServiceProcess): Promise<{ observations: number; published: number }> {
  let last = '';
  let lastChange = Date.now();
  let lastReport = Date.now();
  for (;;) {
    const { published, consumed, caughtUp } = await consumerGroupProgress(admin, groupId, topic);
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM mdm.observation_log WHERE kind IN ('observed', 'withdrawn')`)).rows as { n: number }[];
    if (caughtUp) return { observations: n, published };
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      process.stderr.write(`[linkage-eval] mdm: ${consumed} of ${published} observations consumed, ${n} logged\n`);
    }
    const progress = `${n}:${consumed}`;
    if (progress !== last) {
      last = progress;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > 180_000) {
      throw new Error(`mdm stopped at ${n} logged of ${published} published for three minutes; its log ends:\n${mdm.log.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The log mdm kept, replayed through the library's resolver with the same model. */
async function replayLibrary(db: Client, model: MatchModel): Promise<Map<string, string>> {
  const resolver = new IncrementalResolver(model, DEFAULT_RESOLVER_OPTIONS);
  for (let after = 0; ;) {
    const { rows } = await db.query(
      `SELECT seq, record_key, kind, source_system, person FROM mdm.observation_log WHERE seq > $1 AND kind IN ('observed', 'withdrawn') ORDER BY seq LIMIT 5000`,
      [after],
    );
    if (rows.length === 0) break;
    for (const row of rows as { seq: string; record_key: string; kind: string; source_system: string; person: PersonDetails }[]) {
      if (row.kind === 'observed') resolver.add(toMatchRecord(row.record_key, row.source_system, row.person, { names }));
      else if (resolver.record(row.record_key)) resolver.withdraw(row.record_key);
      after = Number(row.seq);
    }
  }
  const masterOf = new Map<string, string>();
  for (const master of resolver.snapshot()) for (const key of master.records) masterOf.set(key, master.masterId);
  return masterOf;
}

/** Same partition of the same records (master ids aside). */
function samePartition(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  const canon = (m: Map<string, string>) => {
    const groups = new Map<string, string[]>();
    for (const [key, master] of m) groups.set(master, [...(groups.get(master) ?? []), key]);
    return new Set([...groups.values()].map((g) => g.sort().join('|')));
  };
  const x = canon(a);
  const y = canon(b);
  return x.size === y.size && [...x].every((g) => y.has(g));
}

/** The model, trained without labels on the records as ingest maps them (the last version of each). */
function trainOn(prepared: Awaited<ReturnType<typeof prepareDeliveries>>, feeds: FeedRegistry): MatchModel {
  const persons = new Map<string, { source: string; person: PersonDetails }>();
  for (const delivery of prepared.deliveries) {
    const feed = feeds.get(delivery.feed);
    for (const row of delivery.rows) {
      const mapped = feed.mapRow(row);
      if (mapped.outcome === 'withdrawn') persons.delete(`${feed.sourceSystem}/${mapped.sourceRecordId}`);
      if (mapped.outcome !== 'accepted') continue;
      for (const record of mapped.records) {
        if (record.type === 'person') persons.set(`${feed.sourceSystem}/${record.sourceRecordId}`, { source: feed.sourceSystem, person: record.person as PersonDetails });
      }
    }
  }
  return trainModel([...persons.values()].map((p, i) => toMatchRecord(`t${i}`, p.source, p.person, { names })));
}

async function evaluateOnce(shuffle: number) {
  const started = Date.now();
  const random = seededRandom(seed * 1000 + shuffle);
  const { dataset, specs } = sources();
  const dir = mkdtempSync(join(tmpdir(), 'hub-linkage-'));
  const prepared = await prepareDeliveries(specs, dir, random, mapping ? [mapping] : [], format !== 'synthetic');
  const feeds = FeedRegistry.fromDirectory(prepared.feedsDir);
  if (args.includes('--prepare-only')) {
    const labels = [...prepared.truth.values()];
    process.stdout.write(`${JSON.stringify({ dataset, dir, deliveries: prepared.deliveries.length, rows: prepared.deliveries.reduce((n, d) => n + d.rows.length, 0), personKeys: labels.length, withoutTruth: labels.filter((l) => l.truth === undefined).length, unparseable: prepared.unparseable, emptyDeliveries: prepared.empty })}\n`);
    process.exit(0);
  }

  // `--model <file>`: a model made before (by --save-model), for timing runs that need not train again
  const given = option('model');
  const model: MatchModel = given ? (JSON.parse(readFileSync(given, 'utf8')) as MatchModel) : trainOn(prepared, feeds);
  const modelFile = join(dir, 'model.json');
  writeFileSync(modelFile, JSON.stringify(model));
  const saveModel = option('save-model');
  if (saveModel) writeFileSync(saveModel, `${JSON.stringify(model)}\n`);
  const trainedAt = Date.now();
  if (args.includes('--library-only')) return libraryOnly(dataset, shuffle, prepared, feeds, model, started);

  try {
    return await withIsolatedRun('linkage', async ({ prefix, databaseUrl, kafka }) => {
      const url = new URL(databaseUrl);
      const token = randomBytes(32).toString('hex');
      const mdm = await ServiceProcess.start('mdm', { DATABASE_URL: url.toString(), KAFKA_BROKERS: brokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', MDM_MODEL_FILE: modelFile, MDM_SERVICE_TOKEN: token });
      const admin = kafka.admin();
      await admin.connect();
      const db = new Client({ connectionString: url.toString() });
      try {
        const ingestDb = await openDatabase({ url: url.toString(), schema: 'ingest', migrations: [PlatformTables1764133200000, IngestTables1764140000000, IngestRecordRevision1764200000000], poolSize: 2 });
        const producer = kafka.producer(platformProducerConfig);
        await producer.connect();
        const runner = new LoadRunner(feeds, new RecordStore(ingestDb, prefix), new KafkaPublisher(producer, prefix), ingestDb, createLogger('linkage-eval', 'warn'));
        const loads = { rows: 0, accepted: 0, rejected: 0, withdrawn: 0, quarantined: 0 };
        let reportedAt = Date.now();
        for (const [index, delivery] of prepared.deliveries.entries()) {
          if (Date.now() - reportedAt >= 10_000) {
            reportedAt = Date.now();
            process.stderr.write(`[linkage-eval] ingest: delivery ${index + 1} of ${prepared.deliveries.length}, ${loads.rows} rows loaded\n`);
          }
          const report = await runner.loadFile(delivery.feed, delivery.file, { release: true });
          loads.rows += report.rows; loads.accepted += report.accepted; loads.rejected += report.rejected; loads.withdrawn += report.withdrawn;
          if (report.status === 'quarantined') loads.quarantined++;
        }
        await producer.disconnect();
        await ingestDb.destroy();
        const loadedAt = Date.now();
        await db.connect();
        const { observations, published } = await waitForMdm(db, admin, `${prefix}${TOPICS.personObserved.name}`, `${prefix}mdm`, mdm);
        const resolvedAt = Date.now();

        const masters: { id: string; records: string[] }[] = (await db.query(`SELECT id, records FROM mdm.master WHERE status = 'active'`)).rows;
        const response = await fetch(`${mdm.url}/internal/v1/match-graph?minProbability=${DEFAULT_DECISION_POLICY.linkProbability}`, { headers: { authorization: `Bearer ${token}` } });
        if (!response.ok) throw new Error(`match-graph: ${response.status} ${await response.text()}`);
        const graph = (await response.json()) as { modelVersion: string; masters: { masterId: string; records: string[] }[]; pairs: GraphPair[]; review: { pairs: number; records: number } };
        const pipeline = new Map<string, string>();
        for (const master of masters) for (const key of master.records) pipeline.set(key, master.id);
        const library = await replayLibrary(db, model);
        const graphMasters = new Map<string, string>();
        for (const master of graph.masters) for (const key of master.records) graphMasters.set(key, master.masterId);

        const scored = score(pipeline, prepared.truth, graph.pairs, linkage, format === 'synthetic');
        if (format === 'synthetic') {
          // where the errors are, on stderr (stdout keeps one line per shuffle)
          const held = [...prepared.truth.keys()].filter((key) => pipeline.has(key));
          const found = diagnose(held, (key) => prepared.truth.get(key)!.original, (key) => pipeline.get(key)!, readRecordTruth(positional[0]!));
          process.stderr.write(`${JSON.stringify({ shuffle, diagnosis: found })}\n`);
        }
        return {
          dataset, mode: linkage ? 'linkage' : 'dedupe', shuffle, records: scored.records,
          truePairs: scored.truePairs, predictedPairs: scored.predictedPairs,
          precision: round(scored.precision), recall: round(scored.recall), f1: round(scored.f1),
          pairF1: round(scored.pairF1), pairPrecision: round(scored.pairPrecision), pairRecall: round(scored.pairRecall),
          b3F1: round(scored.b3F1), b3F1AllRecords: round(scored.b3F1All),
          inReview: graph.review.records, inReviewShare: round(graph.review.records / Math.max(1, scored.records), 5), reviewPairs: graph.review.pairs,
          equalsLibrary: samePartition(pipeline, library) && samePartition(pipeline, graphMasters),
          notHeld: scored.notHeld, unknownTruth: scored.unknownTruth, rows: loads.rows, accepted: loads.accepted, rejected: loads.rejected, withdrawn: loads.withdrawn,
          quarantined: loads.quarantined, published, unparseable: prepared.unparseable, emptyDeliveries: prepared.empty, observations, masters: masters.length,
          modelVersion: model.version, threshold: DEFAULT_DECISION_POLICY.linkProbability,
          trainSeconds: round((trainedAt - started) / 1000, 1), loadSeconds: round((loadedAt - trainedAt) / 1000, 1), drainSeconds: round((resolvedAt - loadedAt) / 1000, 1),
          seconds: round((Date.now() - started) / 1000, 1),
        };
      } finally {
        await db.end().catch(() => undefined);
        await admin.disconnect();
        await mdm.stop();
      }
    });
  } finally {
    if (!keep && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * No servers: the same deliveries, mapped as ingest maps them, streamed in the same order
 * through the library's resolver (a snapshot delivery withdraws its feed's records it no
 * longer holds; unchanged rows are added again). For a first look when the pipeline cannot run.
 */
function libraryOnly(dataset: string, shuffle: number, prepared: Awaited<ReturnType<typeof prepareDeliveries>>, feeds: FeedRegistry, model: MatchModel, started: number) {
  const heapBefore = heapAfterCollection();
  const resolver = new IncrementalResolver(model, DEFAULT_RESOLVER_OPTIONS);
  // time in the resolver's add and withdraw (with the row mapping), without training or scoring
  let resolvingMs = 0;
  // records added per second of resolver time in each tenth of the rows: flat if the cost per record does not grow with the index
  const totalRows = prepared.deliveries.reduce((n, d) => n + d.rows.length, 0);
  const tenths: number[] = [];
  let rowsSeen = 0;
  let addsInTenth = 0;
  // candidates scored per record, per tenth: what the cost grows with until blocks and the candidate cap fill
  const candidatesPerTenth: number[] = [];
  let candidatesInTenth = 0;
  let tenthStartedMs = 0;
  for (const delivery of prepared.deliveries) {
    const feed = feeds.get(delivery.feed);
    const seen = new Set<string>();
    const deliveryStarted = performance.now();
    for (const row of delivery.rows) {
      const mapped = feed.mapRow(row);
      if (mapped.outcome === 'withdrawn') {
        const key = sourceRecordKey({ sourceSystem: feed.sourceSystem, sourceRecordId: mapped.sourceRecordId });
        if (resolver.record(key)) resolver.withdraw(key);
      }
      for (const record of mapped.outcome === 'accepted' ? mapped.records : []) {
        if (record.type !== 'person') continue;
        const key = sourceRecordKey({ sourceSystem: feed.sourceSystem, sourceRecordId: record.sourceRecordId });
        seen.add(key);
        if (resolver.record(key)) resolver.withdraw(key);
        candidatesInTenth += resolver.add(toMatchRecord(key, feed.sourceSystem, record.person as PersonDetails, { names })).candidates;
        addsInTenth++;
      }
      if (++rowsSeen >= ((tenths.length + 1) * totalRows) / 10) {
        const spentMs = resolvingMs + (performance.now() - deliveryStarted) - tenthStartedMs;
        tenths.push(Math.round(addsInTenth / (spentMs / 1000)));
        candidatesPerTenth.push(Math.round((10 * candidatesInTenth) / Math.max(1, addsInTenth)) / 10);
        // a long run (a city at Liverpool scale takes most of an hour) says how far it has got
        process.stderr.write(`${JSON.stringify({ tenth: tenths.length, rows: rowsSeen, recordsPerResolverSecond: tenths.at(-1), candidatesPerRecord: candidatesPerTenth.at(-1), heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) })}\n`);
        candidatesInTenth = 0;
        tenthStartedMs += spentMs;
        addsInTenth = 0;
      }
    }
    resolvingMs += performance.now() - deliveryStarted;
    if (feed.kind === 'snapshot') {
      for (const master of resolver.snapshot()) for (const key of master.records) if (key.startsWith(`${feed.sourceSystem}/`) && !seen.has(key)) resolver.withdraw(key);
    }
  }
  // what the resolver holds: the heap it added, both ends measured after a full collection
  const resolverHeapMiB = Math.round((heapAfterCollection() - heapBefore) / 2 ** 20);
  const snapshotFile = option('heap-snapshot');
  if (snapshotFile) writeHeapSnapshot(snapshotFile);
  const masterOf = new Map<string, string>();
  for (const master of resolver.snapshot()) for (const key of master.records) masterOf.set(key, master.masterId);
  const scored = score(masterOf, prepared.truth, [], linkage, format === 'synthetic');
  if (format === 'synthetic') {
    const held = [...prepared.truth.keys()].filter((key) => masterOf.has(key));
    process.stderr.write(`${JSON.stringify({ shuffle, diagnosis: diagnose(held, (key) => prepared.truth.get(key)!.original, (key) => masterOf.get(key)!, readRecordTruth(positional[0]!)) })}\n`);
  }
  const sizes = new Map<string, number>();
  for (const master of masterOf.values()) sizes.set(master, (sizes.get(master) ?? 0) + 1);
  const inReview = new Set(resolver.reviewQueue().flatMap((item) => [item.recordId, item.otherRecordId]).filter((key) => sizes.get(masterOf.get(key) ?? '') === 1)).size;
  return {
    dataset, mode: linkage ? 'linkage' : 'dedupe', shuffle, pipeline: false, records: scored.records, truePairs: scored.truePairs, predictedPairs: scored.predictedPairs,
    precision: round(scored.precision), recall: round(scored.recall), f1: round(scored.f1), b3F1: round(scored.b3F1), inReview, inReviewShare: round(inReview / Math.max(1, scored.records), 5),
    notHeld: scored.notHeld, modelVersion: model.version, resolverSeconds: round(resolvingMs / 1000, 1), resolverHeapMiB, recordsPerResolverSecondPerTenth: tenths, candidatesPerRecordPerTenth: candidatesPerTenth, seconds: round((Date.now() - started) / 1000, 1),
  };
}

/** Bytes of heap in use after a full garbage collection. */
function heapAfterCollection(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

type Result = Exclude<Awaited<ReturnType<typeof evaluateOnce>>, ReturnType<typeof libraryOnly>>;

function summary(results: Result[]) {
  const mean = (pick: (r: Result) => number | null) => {
    const values = results.map(pick).filter((v): v is number => v !== null);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  };
  const f1s = results.map((r) => r.f1!);
  return {
    dataset: results[0]!.dataset, mode: results[0]!.mode, shuffles: results.length, records: mean((r) => r.records),
    truePairs: mean((r) => r.truePairs), predictedPairs: round(mean((r) => r.predictedPairs), 1),
    precision: round(mean((r) => r.precision)), recall: round(mean((r) => r.recall)), f1: round(mean((r) => r.f1)),
    pairF1: round(mean((r) => r.pairF1)), pairPrecision: round(mean((r) => r.pairPrecision)), pairRecall: round(mean((r) => r.pairRecall)),
    b3F1: round(mean((r) => r.b3F1)), b3F1AllRecords: round(mean((r) => r.b3F1AllRecords)),
    inReview: round(mean((r) => r.inReview), 1), inReviewShare: round(mean((r) => r.inReviewShare), 5),
    equalsLibrary: results.every((r) => r.equalsLibrary),
    seconds: round(mean((r) => r.seconds), 1),
    spread: { f1: round(Math.max(...f1s) - Math.min(...f1s)) },
    f1PerShuffle: f1s,
  };
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (let shuffle = 0; shuffle < shuffles; shuffle++) {
    // the broker is shared: a shuffle that fails on infrastructure (a restarted broker, say) runs again, same order
    let result: Result | undefined;
    for (let attempt = 1; !result; attempt++) {
      try {
        const outcome = await evaluateOnce(shuffle);
        if ('pipeline' in outcome) {
          process.stdout.write(`${JSON.stringify(outcome)}\n`);
          break;
        }
        result = outcome;
      } catch (error) {
        if (attempt >= 3) throw error;
        process.stderr.write(`shuffle ${shuffle} attempt ${attempt} failed, running it again: ${(error as Error).message}\n`);
      }
    }
    if (!result) continue;
    results.push(result);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  if (results.length > 1) process.stdout.write(`${JSON.stringify({ summary: 'mean', ...summary(results) })}\n`);
}

main().catch((error) => {
  process.stderr.write(`linkage:eval failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
