// `npm run bench:mdm [-- options]`: the mdm service (its own process, from its build) measured
// from outside. Prints one JSON line per phase; asserts nothing. Own database and topic prefix,
// removed after.
//
// Throughput: a preloaded person-observed topic is drained by one mdm process; observations/s
// at 10%, 50% and 100% of the load, the service's peak RSS, how long its outbox relay took
// to publish the last master events, the candidates blocking offered each observation on average,
// and per phase (and on each progress line) the cores mdm
// used (all its threads: V8's collector marks on helper threads) and the share of the time its
// main thread spent in garbage-collection pauses, by kind. The preload, through ingest:
//   --rows N              N persons of the bench-people feed, one record each (default 200,000
//                         when no --scale/--persons is given)
//   --scale S|--persons N the synthetic city (libs/synthetic, S = small|medium|liverpool): every
//                         delivery of its 37 partner feeds, in delivery order, so a person is
//                         observed by several feeds with the profile's errors (made once under
//                         .data/bench/city-<S|N>)
//   --rows 0              nothing preloaded (with --latency: latency on an empty index)
// Latency (--latency [--rate 1000] [--seconds 60]), after the drain, with mdm caught up and its
// outbox empty: PersonObserved events are published straight onto the topic at a steady rate
// (a third of them a further record of a person published earlier, from another source);
// each is timed from its send to the first master-person event whose source records hold it.
// Restart (--restart), last: mdm is killed with SIGKILL and started again; the seconds until it
// answers ready again, which is how long it takes to rebuild its projection (candidate index,
// match graph, masters) by replaying its log from PostgreSQL, and its RSS then; twice: first
// restoring each record's edges as the log recorded them, then, with those cleared from the
// log (as in a log written before edges were recorded), scoring every record again.
// Profiling: --cpu-prof writes a V8 CPU profile (5 ms samples, through cpu-profile-preload.cjs:
// --cpu-prof itself is not allowed in NODE_OPTIONS) of the mdm process to .data/bench/mdm-prof
// (summarise it with services/mdm/bench/cpu-profile-summary.ts). --mdm-heap MiB sets mdm's
// --max-old-space-size (large loads need more than V8's default); --mdm-node-options "…" adds
// options of the mdm process alone (collector settings, say); --mdm-v8-flags "…" sets V8 flags
// that NODE_OPTIONS refuses (--heap-growing-percent=N, say) in it (v8-flags-preload.cjs), once
// it runs; --mdm-node-args "…" replaces the flags on mdm's node command line, which V8 reads
// before it makes the heap (by default the stack's, scripts/lib/services.json: V8's memory
// reducer off, 64 MiB semi-spaces, no allocation-site pretenuring; --mdm-node-args "" for none).
// --gc-trace <file> writes mdm's output, with V8's line for each major collection (its reason
// and pause) and a sample of the heap's spaces every 10 s (gc-trace-preload.cjs), to <file>
// when the run ends.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CONTRACT_EXAMPLES, decode, deterministicEventId, encode, type PersonDetailsInput, sourceRecordKey, TOPICS } from '@hub/contracts';
import { consumerGroupProgress, createLogger, openDatabase, PlatformTables1764133200000, platformProducerConfig } from '@hub/platform';
import { loadTables, NhsNumberAllocator, Rng, type Sex } from '@hub/synthetic';
import { ServiceProcess, withIsolatedRun } from '@hub/testkit';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { makeBenchFile } from '../../ingest/bench/make-bench-file';
import { IngestRecordRevision1764200000000, IngestTables1764140000000 } from '../../ingest/src/database/ingest-tables.migration';
import { FeedRegistry } from '../../ingest/src/feeds/feed-registry';
import { LoadRunner } from '../../ingest/src/loads/load-runner';
import { RecordStore } from '../../ingest/src/loads/record-store';
import { KafkaPublisher } from '../../ingest/src/publishing/kafka-publisher';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const SCALE = option('--scale');
const PERSONS = option('--persons');
const ROWS = Number(option('--rows') ?? (SCALE || PERSONS ? 0 : 200_000));
const LATENCY = args.includes('--latency');
const RATE = Number(option('--rate') ?? 1000);
const SECONDS = Number(option('--seconds') ?? 60);
const CPU_PROF = args.includes('--cpu-prof');
const RESTART = args.includes('--restart');
const MDM_HEAP = option('--mdm-heap');
/** V8 or Node options for the mdm process alone (quoted, space-separated), to try collector settings. */
const MDM_NODE_OPTIONS = option('--mdm-node-options');
const MDM_V8_FLAGS = option('--mdm-v8-flags');
const MDM_NODE_ARGS = option('--mdm-node-args');
const GC_TRACE = option('--gc-trace');
/** Sample what mdm allocates that outlives young collections (heap-sampling-preload.cjs); HEAP_SAMPLE_AFTER_S / HEAP_SAMPLE_FOR_S say when. */
const HEAP_SAMPLE = option('--heap-sample');
const root = join(__dirname, '..', '..', '..');
const benchDir = join(root, '.data', 'bench');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const say = (text: string) => process.stderr.write(`${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Manifest {
  summary: Record<string, unknown>;
  feeds: { name: string; deliveries: { index: number; file: string; rows: number }[] }[];
}

/** The synthetic city for the preload, generated once per scale. */
function city(): { dir: string; manifest: Manifest } {
  const dir = join(benchDir, `city-${SCALE ?? PERSONS}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    say(`generating the synthetic city (${SCALE ? `scale ${SCALE}` : `${PERSONS} persons`}) into ${dir}…`);
    const size = SCALE ? ['--scale', SCALE] : ['--persons', PERSONS!];
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'run-ts.mjs'), 'libs/synthetic/src/cli/datagen.ts', ...size, '--seed', '1', '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
    if (result.status !== 0) throw new Error('datagen failed');
  }
  return { dir, manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest };
}

/** Loads the preload through ingest onto the run's person-observed topic; returns what it loaded. */
async function preload(prefix: string, databaseUrl: string, kafka: Kafka): Promise<Record<string, unknown>> {
  const ingestDb = await openDatabase({ url: databaseUrl, schema: 'ingest', migrations: [PlatformTables1764133200000, IngestTables1764140000000, IngestRecordRevision1764200000000], poolSize: 4 });
  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  const runner = new LoadRunner(FeedRegistry.fromDirectory(), new RecordStore(ingestDb, prefix), new KafkaPublisher(producer, prefix), ingestDb, createLogger('bench-mdm', 'warn'), 2000);
  const started = Date.now();
  const totals = { loads: 0, rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0 };
  try {
    if (SCALE || PERSONS) {
      const { dir, manifest } = city();
      const rounds = Math.max(...manifest.feeds.map((feed) => feed.deliveries.length));
      for (let round = 0; round < rounds; round++) {
        for (const feed of manifest.feeds) {
          const delivery = feed.deliveries[round];
          if (!delivery) continue;
          const report = await runner.loadFile(feed.name, join(dir, delivery.file), { release: true });
          totals.loads++;
          for (const key of ['rows', 'accepted', 'rejected', 'duplicates', 'withdrawn'] as const) totals[key] += Number(report[key] ?? 0);
        }
        say(`preload: delivery round ${round + 1}/${rounds} loaded (${totals.rows.toLocaleString()} rows, ${Math.round((Date.now() - started) / 1000)} s)`);
      }
      return { source: `synthetic city ${SCALE ?? `${PERSONS} persons`}`, persons: manifest.summary.persons, ...totals, seconds: Math.round((Date.now() - started) / 1000) };
    }
    const file = join(benchDir, `bench-people-${ROWS}.csv`);
    if (!existsSync(file)) {
      mkdirSync(benchDir, { recursive: true });
      await makeBenchFile(file, ROWS);
    }
    say(`preloading ${ROWS.toLocaleString()} bench-people rows through ingest…`);
    const report = await runner.loadFile('bench-people', file, { release: true });
    return { source: 'bench-people', rows: report.rows, accepted: report.accepted, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await producer.disconnect();
    await ingestDb.destroy();
  }
}

async function messagesOn(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      } catch (error) {
        // a topic made moments ago may not have its leaders yet
        if (attempt >= 30) throw error;
        await sleep(1000);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** mdm's consumed batches so far, from its metrics: how many, how long in all, how many messages. */
async function batchesOf(mdm: ServiceProcess): Promise<{ batches: number; seconds: number; messages: number }> {
  const text = await (await fetch(`${mdm.url}/metrics`, { signal: AbortSignal.timeout(120_000) })).text();
  const sum = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  return {
    batches: sum(/^hub_batch_duration_seconds_count\{[^}]*\} (\S+)$/gm),
    seconds: sum(/^hub_batch_duration_seconds_sum\{[^}]*\} (\S+)$/gm),
    messages: sum(/^hub_messages_consumed_total\{[^}]*person-observed[^}]*\} (\S+)$/gm),
  };
}

function batchSummary(before: Awaited<ReturnType<typeof batchesOf>>, after: Awaited<ReturnType<typeof batchesOf>>) {
  const batches = after.batches - before.batches;
  return { mdmBatches: batches, mdmMessagesPerBatch: Number(((after.messages - before.messages) / batches).toFixed(1)), mdmMsPerBatch: Number((((after.seconds - before.seconds) * 1000) / batches).toFixed(1)) };
}

const load = () => loadavg().map((n) => Number(n.toFixed(1)));

/**
 * Waits until every partition of the run's topics has a leader and answers for its offsets:
 * the first sends to topics made moments ago otherwise fail (NOT_LEADER, out-of-order
 * sequence numbers on a fresh idempotent producer).
 */
async function topicsReady(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    for (let attempt = 1; ; attempt++) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        if (metadata.every((topic) => topic.partitions.every((partition) => partition.leader >= 0))) {
          for (const topic of topics) await admin.fetchTopicOffsets(topic);
          return;
        }
      } catch (error) {
        if (attempt >= 60) throw error;
      }
      await sleep(1000);
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * mdm's memory, CPU and garbage collection, sampled from its metrics endpoint: the resident
 * set, the CPU seconds of all its threads (V8's collector marks on helper threads, so a process
 * can use more than one core), and the main thread's garbage-collection pauses by kind.
 */
class ProcessWatch {
  peak = 0;
  last = 0;
  cpuSeconds = 0;
  gcSeconds: Record<string, number> = {};
  /** Candidates offered to new observations so far, and how many observations (mdm_candidates_per_observation). */
  candidates = { sum: 0, count: 0 };
  constructor(private readonly mdm: ServiceProcess) {}
  async sample(): Promise<number> {
    // a busy service may not answer in time: a missed sample, not a failed run
    const text = await fetch(`${this.mdm.url}/metrics`, { signal: AbortSignal.timeout(10_000) }).then((response) => response.text()).catch(() => '');
    const rss = Number(text.match(/process_resident_memory_bytes(?:\{[^}]*\})? (\d+)/)?.[1] ?? 0);
    if (rss) this.last = rss;
    this.peak = Math.max(this.peak, rss);
    const cpu = Number(text.match(/process_cpu_seconds_total(?:\{[^}]*\})? ([\d.e+-]+)/)?.[1] ?? NaN);
    if (Number.isFinite(cpu)) this.cpuSeconds = cpu;
    for (const [, kind, seconds] of text.matchAll(/nodejs_gc_duration_seconds_sum\{[^}]*kind="(\w+)"[^}]*\} ([\d.e+-]+)/g)) this.gcSeconds[kind!] = Number(seconds);
    const sum = Number(text.match(/^mdm_candidates_per_observation_sum(?:\{[^}]*\})? ([\d.e+-]+)$/m)?.[1] ?? NaN);
    const count = Number(text.match(/^mdm_candidates_per_observation_count(?:\{[^}]*\})? ([\d.e+-]+)$/m)?.[1] ?? NaN);
    if (Number.isFinite(sum) && Number.isFinite(count)) this.candidates = { sum, count };
    return rss;
  }
  /** What the process used since `from` (an earlier `usage()`), over `wallSeconds`: cores busy, and the main thread's GC pauses as a share of the time. */
  since(from: Usage, wallSeconds: number): { cores: number; gcPauseShare: Record<string, number>; candidatesPerObservation: number | null } {
    const gcPauseShare: Record<string, number> = {};
    for (const [kind, seconds] of Object.entries(this.gcSeconds)) gcPauseShare[kind] = Number(((seconds - (from.gcSeconds[kind] ?? 0)) / wallSeconds).toFixed(3));
    const observed = this.candidates.count - from.candidates.count;
    const candidatesPerObservation = observed > 0 ? Number(((this.candidates.sum - from.candidates.sum) / observed).toFixed(1)) : null;
    return { cores: Number(((this.cpuSeconds - from.cpuSeconds) / wallSeconds).toFixed(2)), gcPauseShare, candidatesPerObservation };
  }
  usage(): Usage {
    return { at: Date.now(), cpuSeconds: this.cpuSeconds, gcSeconds: { ...this.gcSeconds }, candidates: { ...this.candidates } };
  }
}

interface Usage {
  at: number;
  cpuSeconds: number;
  gcSeconds: Record<string, number>;
  candidates: { sum: number; count: number };
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * Waits until mdm has logged `total` observations. Progress is the log's highest sequence
 * number (an index lookup; a count(*) of a table of millions every half second would take
 * CPU from the service being measured), less the one model-promotion entry of a new log.
 */
async function drain(db: Client, mdm: ServiceProcess, rss: ProcessWatch, onTopic: number, started: number, consumedAll: () => Promise<boolean>): Promise<Record<string, unknown>> {
  const loadBefore = load();
  const marks: Record<string, number> = {};
  const rssAt: Record<string, number> = {};
  const usageIn: Record<string, ReturnType<ProcessWatch['since']>> = {};
  await rss.sample();
  let phaseStart = rss.usage();
  let lineStart = phaseStart;
  let lineFrom = 0;
  let total = onTopic;
  let last = -1;
  let lastChange = Date.now();
  for (let polls = 0; ; polls++) {
    const [{ seq }] = (await db.query(`SELECT coalesce(max(seq), 0)::bigint AS seq FROM mdm.observation_log`)).rows;
    const n = Math.max(0, Number(seq) - 1);
    if (n !== last) [last, lastChange] = [n, Date.now()];
    // An event on the topic twice (at-least-once publishing) is logged once: when the log stops
    // growing short of the count and mdm's group has consumed the whole topic, that is the end.
    if (n < total && Date.now() - lastChange > 5000 && (await consumedAll())) total = n;
    if (polls % 4 === 0 || n >= total) await rss.sample();
    for (const share of [0.1, 0.5, 1]) {
      if (n >= total * share && marks[share] === undefined) {
        marks[share] = (Date.now() - started) / 1000;
        rssAt[share] = rss.last;
        // CPU and collector pauses per phase: where a falling rate goes
        usageIn[share] = rss.since(phaseStart, (Date.now() - phaseStart.at) / 1000);
        phaseStart = rss.usage();
      }
    }
    if (n >= total) break;
    if (polls % 20 === 0) {
      const since = rss.since(lineStart, (Date.now() - lineStart.at) / 1000);
      say(`drain: ${n.toLocaleString()} / ${total.toLocaleString()} (${Math.round((Date.now() - started) / 1000)} s, rss ${mib(rss.last)} MiB, ${Math.round((n - lineFrom) / ((Date.now() - lineStart.at) / 1000))}/s, mdm ${since.cores} cores, ${since.candidatesPerObservation ?? '-'} candidates per observation, gc pauses ${JSON.stringify(since.gcPauseShare)})`);
      lineStart = rss.usage();
      lineFrom = n;
    }
    await sleep(500);
  }
  const drained = Date.now();
  const batches = await batchesOf(mdm);
  const loadAfter = load();
  // the relay publishes the last master events after the last batch commits
  let outbox = 0;
  for (;;) {
    [{ outbox }] = (await db.query(`SELECT count(*)::int AS outbox FROM mdm.outbox`)).rows;
    if (outbox === 0) break;
    await sleep(250);
  }
  const [{ logged }] = (await db.query(`SELECT count(*)::int AS logged FROM mdm.observation_log WHERE kind IN ('observed', 'withdrawn')`)).rows;
  const [{ active }] = (await db.query(`SELECT count(*)::int AS active FROM mdm.master WHERE status = 'active'`)).rows;
  const rate = (from: number, to: number, t0: number, t1: number) => Math.round(((to - from) * total) / (t1 - t0));
  return {
    observations: total, duplicateEventsOnTopic: onTopic - total, logged, masters: active, seconds: marks[1],
    observationsPerSecondTo10pct: rate(0, 0.1, 0, marks[0.1]!), observationsPerSecond10to50pct: rate(0.1, 0.5, marks[0.1]!, marks[0.5]!), observationsPerSecond50to100pct: rate(0.5, 1, marks[0.5]!, marks[1]!),
    overallPerSecond: Math.round(total / marks[1]!),
    rssMiBAt10pct: mib(rssAt[0.1]!), rssMiBAt50pct: mib(rssAt[0.5]!), rssMiBAt100pct: mib(rssAt[1]!), peakRssMiB: mib(rss.peak),
    mdmCoresTo10pct: usageIn[0.1]?.cores, mdmCores10to50pct: usageIn[0.5]?.cores, mdmCores50to100pct: usageIn[1]?.cores,
    candidatesPerObservationTo10pct: usageIn[0.1]?.candidatesPerObservation, candidatesPerObservation10to50pct: usageIn[0.5]?.candidatesPerObservation, candidatesPerObservation50to100pct: usageIn[1]?.candidatesPerObservation,
    gcPauseShareTo10pct: usageIn[0.1]?.gcPauseShare, gcPauseShare10to50pct: usageIn[0.5]?.gcPauseShare, gcPauseShare50to100pct: usageIn[1]?.gcPauseShare,
    relayTailSeconds: (Date.now() - drained) / 1000, ...batchSummary({ batches: 0, seconds: 0, messages: 0 }, batches),
    loadAverageBefore: loadBefore, loadAverageAfter: loadAfter,
    note: 'the first tenth includes the service start (replay of an empty log, model load)',
  };
}

const FEEDS = ['police-offences', 'school-census', 'gp-registrations', 'housing-tenancies', 'dwp-benefits', 'csc-referrals'];

/** Persons for the latency phase: the synthetic city's name tables, NHS numbers on most. */
function latencyPeople() {
  const tables = loadTables();
  const rng = new Rng('mdm-latency');
  const nhs = new NhsNumberAllocator();
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return (): PersonDetailsInput => {
    const sex: Sex = rng.next() < 0.5 ? 'F' : 'M';
    const year = 1930 + rng.int(90);
    return {
      name: { givenNames: [tables.forename(rng, sex, year)], familyName: tables.surnames.pick(rng), fullName: null, title: null },
      otherNames: [],
      dateOfBirth: `${year}-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`,
      sex: sex === 'F' ? 'FEMALE' : 'MALE',
      addresses: [{ lines: [`${1 + rng.int(200)} ${tables.surnames.pick(rng)} Road`], locality: 'Liverpool', postcode: `L${1 + rng.int(36)} ${rng.int(10)}${letters[rng.int(20)]}${letters[rng.int(20)]}`, uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null }],
      emails: [],
      phones: [],
      identifiers: rng.next() < 0.8 ? [{ scheme: 'NHS', value: nhs.next(), issuer: null }] : [],
    };
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Steady-rate latency: observation sent -> first master-person event (created, updated,
 * merged or split) whose source records hold it, as this process receives it from Kafka.
 */
async function latency(kafka: Kafka, prefix: string, mdm: ServiceProcess, rss: ProcessWatch): Promise<Record<string, unknown>> {
  const observedTopic = `${prefix}${TOPICS.personObserved.name}`;
  const mastersTopic = `${prefix}${TOPICS.masterPersons.name}`;
  const sentAt = new Map<string, number>();
  const samples: { at: number; ms: number }[] = [];
  let eventsSeen = 0;
  const consumer = kafka.consumer({ groupId: `${prefix}bench-latency`, maxWaitTimeInMs: 20 });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.connect();
  await consumer.subscribe({ topic: mastersTopic, fromBeginning: false });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        if (!message.value) continue;
        eventsSeen++;
        const event = decode(message.value).value as { sourceRecords?: { sourceSystem: string; sourceRecordId: string }[]; parts?: { sourceRecords: { sourceSystem: string; sourceRecordId: string }[] }[] };
        const refs = [...(event.sourceRecords ?? []), ...(event.parts ?? []).flatMap((part) => part.sourceRecords)];
        for (const ref of refs) {
          const key = `${ref.sourceSystem}/${ref.sourceRecordId}`;
          const sent = sentAt.get(key);
          if (sent === undefined) continue;
          samples.push({ at: sent, ms: now - sent });
          sentAt.delete(key);
        }
      }
    },
  });
  for (let i = 0; !joined && i < 300; i++) await sleep(100);
  await sleep(2000); // the group has fetched its (latest) offsets before anything is published

  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  const person = latencyPeople();
  const rng = new Rng('mdm-latency-repeat');
  const earlier: PersonDetailsInput[] = [];
  const example = CONTRACT_EXAMPLES.PersonObserved;
  const total = RATE * SECONDS;
  let sent = 0;
  const before = await batchesOf(mdm);
  const loadBefore = load();
  const started = Date.now();
  const sends: Promise<unknown>[] = [];
  say(`latency: publishing ${total.toLocaleString()} observations at ${RATE}/s…`);
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
    if (due > sent) {
      const messages = [];
      for (; sent < due; sent++) {
        const again = earlier.length > 0 && rng.next() < 1 / 3;
        const details = again ? earlier[rng.int(earlier.length)]! : person();
        if (!again) earlier.push(details);
        const feed = FEEDS[sent % FEEDS.length]!;
        const envelope = { ...example.envelope, sourceSystem: feed, sourceRecordId: `LAT${sent}`, sourceVersion: '1', feed, occurredAt: Date.now(), receivedAt: Date.now(), eventId: deterministicEventId(['bench-latency', prefix, String(sent)]) };
        messages.push({ key: sourceRecordKey(envelope), value: encode('PersonObserved', { ...example, envelope, person: details, qualityFlags: [], loadId: null }) });
        sentAt.set(`${feed}/LAT${sent}`, Date.now());
      }
      sends.push(producer.send({ topic: observedTopic, acks: -1, messages }));
      if (sends.length > 50) await Promise.all(sends.splice(0, sends.length));
    }
    if (sent % (RATE * 5) < RATE / 100) void rss.sample();
    await sleep(5);
  }
  await Promise.all(sends);
  const publishSeconds = (Date.now() - started) / 1000;
  const lagAtEnd = sentAt.size;
  for (let i = 0; sentAt.size > 0 && i < 600; i++) await sleep(100);
  const drainedAfter = (Date.now() - started) / 1000 - publishSeconds;
  const batches = batchSummary(before, await batchesOf(mdm));
  await rss.sample();
  await producer.disconnect();
  await consumer.disconnect();

  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const third = (k: number) => samples.filter((s) => s.at - started >= (k * SECONDS * 1000) / 3 && s.at - started < ((k + 1) * SECONDS * 1000) / 3).map((s) => s.ms).sort((a, b) => a - b);
  return {
    rateTarget: RATE, seconds: SECONDS, published: total, achievedRate: Math.round(total / publishSeconds), answered: samples.length, unanswered: sentAt.size, masterEventsSeen: eventsSeen,
    p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95), p99Ms: percentile(ms, 99), maxMs: ms[ms.length - 1],
    p99MsByThird: [0, 1, 2].map((k) => percentile(third(k), 99)),
    waitingWhenPublishingEnded: lagAtEnd, secondsToAnswerTheRest: Number(drainedAfter.toFixed(1)),
    keptUp: sentAt.size === 0 && lagAtEnd < RATE, ...batches, loadAverageBefore: loadBefore, loadAverageAfter: load(),
  };
}

/** Kills mdm and starts it again: how long the replay of its log takes before it is ready. */
async function restart(mdm: ServiceProcess, logEntries: number): Promise<Record<string, unknown>> {
  mdm.kill();
  await mdm.waitExit();
  const started = Date.now();
  mdm.spawn();
  await mdm.waitReady(4 * 3600_000);
  const seconds = (Date.now() - started) / 1000;
  const rss = new ProcessWatch(mdm);
  await rss.sample();
  // Ready also waits for the consumer to join its group, which waits for the killed process's
  // membership to expire (the session timeout, 30 s after the kill): the replay itself is timed
  // by mdm.
  const text = await (await fetch(`${mdm.url}/metrics`, { signal: AbortSignal.timeout(120_000) })).text();
  const replaySeconds = Number(text.match(/^mdm_projection_rebuild_seconds(?:\{[^}]*\})? ([\d.e+-]+)$/m)?.[1] ?? NaN);
  return {
    logEntries, secondsUntilReady: Number(seconds.toFixed(1)), replaySeconds, entriesReplayedPerSecond: Math.round(logEntries / replaySeconds),
    rssMiBWhenReady: mib(rss.last), loadAverageAfter: load(),
  };
}

async function main(): Promise<void> {
  await withIsolatedRun('benchmdm', async ({ prefix, databaseUrl, kafka }) => {
    const url = new URL(databaseUrl);
    let mdm: ServiceProcess | undefined;
    try {
      await topicsReady(kafka, prefix);
      const preloaded = SCALE || PERSONS || ROWS > 0 ? await preload(prefix, url.toString(), kafka) : undefined;
      const total = await messagesOn(kafka, `${prefix}${TOPICS.personObserved.name}`);
      if (preloaded) process.stdout.write(`${JSON.stringify({ benchmark: 'mdm', phase: 'preload', ...preloaded, observationsOnTopic: total })}\n`);

      const nodeOptions = [process.env.NODE_OPTIONS ?? '', MDM_HEAP ? `--max-old-space-size=${MDM_HEAP}` : '', MDM_NODE_OPTIONS ?? '', MDM_V8_FLAGS ? `--require ${join(__dirname, 'v8-flags-preload.cjs')}` : '', CPU_PROF ? `--require ${join(__dirname, 'cpu-profile-preload.cjs')}` : '', GC_TRACE ? `--require ${join(__dirname, 'gc-trace-preload.cjs')}` : '', HEAP_SAMPLE ? `--require ${join(__dirname, 'heap-sampling-preload.cjs')}` : ''].join(' ').trim();
      const started = Date.now();
      mdm = await ServiceProcess.start('mdm', { ...(CPU_PROF ? { CPU_PROFILE_DIR: join(benchDir, 'mdm-prof') } : {}), ...(HEAP_SAMPLE ? { HEAP_SAMPLE_FILE: HEAP_SAMPLE } : {}), ...(MDM_V8_FLAGS ? { MDM_V8_FLAGS } : {}), DATABASE_URL: url.toString(), KAFKA_BROKERS: brokers.join(','), TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', NODE_OPTIONS: nodeOptions }, MDM_NODE_ARGS === undefined ? {} : { nodeArgs: MDM_NODE_ARGS.split(/\s+/).filter(Boolean) });
      const rss = new ProcessWatch(mdm);
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      try {
        const consumedAll = async () => {
          const admin = kafka.admin();
          await admin.connect();
          try {
            return (await consumerGroupProgress(admin, `${prefix}mdm`, `${prefix}${TOPICS.personObserved.name}`)).caughtUp;
          } finally {
            await admin.disconnect();
          }
        };
        if (total > 0) process.stdout.write(`${JSON.stringify({ benchmark: 'mdm', phase: 'throughput', ...(await drain(db, mdm, rss, total, started, consumedAll)) })}\n`);
        if (LATENCY) process.stdout.write(`${JSON.stringify({ benchmark: 'mdm', phase: 'latency', indexSize: total, ...(await latency(kafka, prefix, mdm, rss)), peakRssMiB: mib(rss.peak) })}\n`);
        if (RESTART) {
          const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM mdm.observation_log`)).rows as { n: number }[];
          process.stdout.write(`${JSON.stringify({ benchmark: 'mdm', phase: 'restart', edges: 'restored from the log', ...(await restart(mdm, n)) })}\n`);
          // the same log as an installation that recorded no edges would hold: every entry scored again
          const cleared = await db.query(`UPDATE mdm.observation_log SET detail = NULL WHERE kind = 'observed' AND detail IS NOT NULL`);
          process.stdout.write(`${JSON.stringify({ benchmark: 'mdm', phase: 'restart', edges: 'scored again', entriesCleared: cleared.rowCount, ...(await restart(mdm, n)) })}\n`);
        }
      } finally {
        await db.end();
      }
    } finally {
      const code = await mdm?.stop();
      if (code) say(`mdm exited with ${code}:\n${mdm!.log.slice(-3000)}`);
      if (GC_TRACE && mdm) writeFileSync(GC_TRACE, mdm.log);
    }
  });
}

main().catch((error) => {
  process.stderr.write(`bench:mdm failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
