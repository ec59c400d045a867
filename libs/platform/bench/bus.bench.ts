// `npm run bench:bus`: the raw kafkajs produce and consume ceiling of this machine with the
// platform's own producer settings, then the rate through the platform's batch consumer,
// inbox and transactional outbox with its relay. Prints figures; asserts nothing.
//   options: --messages N (raw, default 200000) --outbox-messages N (default 50000)
//            --size BYTES (default 420, about one PersonObserved) --partitions N (default 12)
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { CONTRACT_EXAMPLES, encode } from '@hub/contracts';
import { Client } from 'pg';
import { CompressionTypes } from 'kafkajs';
import {
  BatchConsumer, OutboxRelay, PlatformMetrics, PlatformTables1764133200000, appendToOutbox, createKafka, createLogger,
  ensureTopics, keepUnprocessed, rawProduceCeiling, openDatabase, platformAcks, platformCompression, platformProducerConfig,
} from '../src';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const RAW = option('messages', 200_000);
const OUTBOX = option('outbox-messages', 50_000);
const PARTITIONS = option('partitions', 12);
const compressionName = (() => {
  const index = args.indexOf('--compression');
  return index >= 0 ? args[index + 1]! : 'platform';
})();
const compression = compressionName === 'none' ? CompressionTypes.None : compressionName === 'gzip' ? CompressionTypes.GZIP : platformCompression;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger('bench-bus', 'warn');
const run = `bench.${Date.now().toString(36)}.${randomBytes(2).toString('hex')}`;
const kafka = createKafka({ brokers, clientId: 'bench-bus' });

// Realistic values: an encoded PersonObserved example whose letters are replaced by random
// letters, 2,000 different ones, so that compression sees text-like entropy rather than
// one value repeated (which would flatter every codec).
const example = encode('PersonObserved', CONTRACT_EXAMPLES.PersonObserved as never);
const SIZE = option('size', example.length);
const base = SIZE <= example.length ? example : Buffer.concat([example, randomBytes(SIZE - example.length)]);
const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const values = Array.from({ length: 2000 }, () => {
  const copy = Buffer.from(base);
  for (let i = 0; i < copy.length; i++) if (/[A-Za-z0-9]/.test(String.fromCharCode(copy[i]!))) copy[i] = letters.charCodeAt(Math.floor(Math.random() * letters.length));
  return copy;
});
const value = values[0]!;
const valueAt = (i: number) => values[i % values.length]!;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const progress = (label: string, done: number, total: number) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${label}: ${done.toLocaleString()} / ${total.toLocaleString()}   `);
};

async function produceRaw(topic: string): Promise<number> {
  const result = await rawProduceCeiling(kafka, topic, { messages: RAW, valueAt, compression, onProgress: (sent) => progress('produce', sent, RAW) });
  return result.messagesPerSecond;
}

async function consumeRaw(topic: string): Promise<number> {
  const consumer = kafka.consumer({ groupId: `${run}.raw-reader`, maxBytesPerPartition: 1048576 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let received = 0;
  let started = 0n;
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        if (started === 0n) started = process.hrtime.bigint();
        received += batch.messages.length;
        progress('consume', received, RAW);
        if (received >= RAW) resolve();
      },
    });
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await consumer.disconnect();
  return RAW / seconds;
}

async function throughOutbox(input: string, output: string): Promise<{ rate: number; relayRate: number }> {
  const database = `hub_${run.replace(/[^a-z0-9]/gi, '_')}`;
  const url = new URL(adminUrl);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  url.pathname = `/${database}`;
  const dataSource = await openDatabase({ url: url.toString(), migrations: [PlatformTables1764133200000], poolSize: 8 });
  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  // preload the input so that the measurement is the consumer's drain rate
  for (let start = 0; start < OUTBOX; start += 500) {
    const messages = Array.from({ length: Math.min(500, OUTBOX - start) }, (_, i) => ({
      key: `person-${(start + i) % 10_000}`, value: valueAt(start + i), headers: { 'event-id': `e-${start + i}` },
    }));
    await producer.send({ topic: input, acks: platformAcks, compression: platformCompression, messages });
  }
  const metrics = new PlatformMetrics('bench', { defaultMetrics: false });
  const consumer = new BatchConsumer({
    kafka, producer, logger, metrics, groupId: `${run}.outbox`, topics: [input], deadLetterTopic: `${input}.dlq`,
    partitionsConsumedConcurrently: 3,
    handle: async (messages) => {
      await dataSource.transaction(async (manager) => {
        const fresh = await keepUnprocessed(manager, 'bench', messages, (m) => String(m.headers['event-id']));
        await appendToOutbox(manager, fresh.map((m) => ({
          topic: output, key: m.key!.toString(), aggregateType: 'bench', eventType: 'Bench', eventId: `out-${String(m.headers['event-id'])}`, payload: m.value!,
        })));
      });
    },
  });
  const relay = new OutboxRelay(dataSource, producer, { logger, metrics, batchSize: 2000, idleMs: 20 });
  const started = process.hrtime.bigint();
  await consumer.start();
  relay.start();
  let relayDone = 0n;
  // one admin for the whole wait, disconnected after it: an admin made per poll kept its
  // connections open, and the process then lingered until the broker closed them as idle
  // (connections.max.idle.ms, 10 minutes)
  const watcher = kafka.admin();
  await watcher.connect();
  for (;;) {
    const offsets = await watcher.fetchTopicOffsets(output);
    const published = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    progress('through consumer and outbox', published, OUTBOX);
    if (published >= OUTBOX) {
      relayDone = process.hrtime.bigint();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = Number(relayDone - started) / 1e9;
  await watcher.disconnect();
  await consumer.stop();
  await relay.stop();
  await producer.disconnect();
  await dataSource.destroy();
  await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
  await admin.end();
  return { rate: OUTBOX / seconds, relayRate: Number((await metrics.outboxPublished.get()).values[0]?.value ?? 0) / seconds };
}

async function main(): Promise<void> {
  const raw = `${run}.raw.v1`;
  const input = `${run}.input.v1`;
  const output = `${run}.output.v1`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [raw, input, output, `${input}.dlq`].map((name) => ({ name, partitions: PARTITIONS, retentionMs: 3600000, cleanupPolicy: 'delete' as const })));
  try {
    const produceRate = await produceRaw(raw);
    const consumeRate = await consumeRaw(raw);
    const outbox = await throughOutbox(input, output);
    clearInterval(sampler);
    const result = {
      benchmark: 'bus',
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: { idempotent: true, acks: 'all', compression: compressionName === 'platform' ? 'platform (none)' : compressionName, maxInFlightRequests: 5, partitions: PARTITIONS, messageBytes: value.length, produceBatch: 500, sendsInFlight: 8 },
      rawProducePerSecond: Math.round(produceRate),
      rawProduceMiBPerSecond: Number(((produceRate * value.length) / 2 ** 20).toFixed(1)),
      rawConsumePerSecond: Math.round(consumeRate),
      consumerOutboxPerSecond: Math.round(outbox.rate),
      messages: { raw: RAW, outbox: OUTBOX },
      peakRssMiB: Math.round(peakRss / 2 ** 20),
    };
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(run));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:bus failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
