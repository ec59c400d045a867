import { decode, type DeadLetter } from '@hub/contracts';
import { createTestDatabase, TcpProxy, testKafkaBrokers, testTopicPrefix, throughProxy } from '@hub/testkit';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  BatchConsumer, OutboxRelay, PlatformMetrics, PlatformTables1764133200000, createKafka, createLogger, ensureTopics,
  injectTraceHeaders, openDatabase, platformProducerConfig, startTracing, stopTracing, tracer,
} from '../src';
import { until } from './helpers/until';
import { TallyTable1764133300000, amountAdded, applyBatch, tallyChanged, tallyTotal } from './tally/tally';

const logger = createLogger('batch-consumer-test', 'silent');

async function readAll(kafka: Kafka, topic: string, count: number): Promise<{ value: Buffer; headers: Record<string, string> }[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `${topic}.reader.${Date.now()}` });
  const found: { value: Buffer; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        found.push({
          value: message.value!,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)])),
        });
        if (found.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return found;
}

describe(BatchConsumer.name, () => {
  const exporter = new InMemorySpanExporter();
  const prefix = `${testTopicPrefix()}consumer.`;
  const input = `${prefix}input.v1`;
  const output = `${prefix}output.v1`;
  const dlq = `${prefix}dlq.v1`;
  let kafka: Kafka;
  let producer: Producer;
  let proxy: TcpProxy;
  let dataSource: DataSource;
  let consumer: BatchConsumer;
  let relay: OutboxRelay;
  const metrics = new PlatformMetrics('test', { defaultMetrics: false });

  beforeAll(async () => {
    startTracing('batch-consumer-test', { exporter });
    kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'batch-consumer-test' });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [input, output, dlq].map((name) => ({ name, partitions: 3, retentionMs: 3600000, cleanupPolicy: 'delete' as const })));
    await admin.disconnect();
    const url = await createTestDatabase('consumer');
    proxy = await new TcpProxy(new URL(url).hostname, Number(new URL(url).port || 5432)).start();
    dataSource = await openDatabase({ url: throughProxy(url, proxy), migrations: [PlatformTables1764133200000, TallyTable1764133300000], poolSize: 4 });
    producer = kafka.producer(platformProducerConfig);
    await producer.connect();
    consumer = new BatchConsumer({
      kafka, groupId: `${prefix}group`, topics: [input], producer, logger, metrics, deadLetterTopic: dlq,
      maxAttempts: 2, retryBackoffMs: 50, maxBackoffMs: 200,
      handle: (messages) => applyBatch(dataSource, messages, output),
    });
    await consumer.start();
    relay = new OutboxRelay(dataSource, producer, { logger, metrics, claimEveryMs: 100 });
    relay.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await producer?.disconnect();
    await dataSource?.destroy();
    await proxy?.close();
    await stopTracing();
  });

  const total = (account: string) => tallyTotal(dataSource, account);

  it('dead-letters a message that can never be processed, with its original bytes, and goes on', async () => {
    const poison = Buffer.from('not avro at all');
    await producer.send({
      topic: input,
      messages: [
        { key: 'a', value: amountAdded.toBuffer({ eventId: 'p1', account: 'a', amount: 5 }) },
        { key: 'a', value: poison },
        { key: 'a', value: amountAdded.toBuffer({ eventId: 'p2', account: 'a', amount: 7 }) },
      ],
    });
    expect(await until(async () => ((await total('a')) === 12 ? 12 : undefined))).toBe(12);
    const [letter] = await readAll(kafka, dlq, 1);
    const decoded = decode(letter!.value);
    expect(decoded.name).toBe('DeadLetter');
    const value = decoded.value as DeadLetter;
    expect(value.value).toEqual(poison);
    expect(value.errorCode).toBe('TEST.UNDECODABLE');
    expect(value.originalTopic).toBe(input);
    expect(value.consumerGroup).toBe(`${prefix}group`);
  });

  it('applies a redelivered event once', async () => {
    const event = amountAdded.toBuffer({ eventId: 'dup-1', account: 'b', amount: 3 });
    await producer.send({ topic: input, messages: [{ key: 'b', value: event }, { key: 'b', value: event }] });
    await producer.send({ topic: input, messages: [{ key: 'b', value: amountAdded.toBuffer({ eventId: 'dup-2', account: 'b', amount: 1 }) }] });
    expect(await until(async () => ((await total('b')) === 4 ? 4 : undefined))).toBe(4);
  });

  it('waits while the database is away instead of dead-lettering, then catches up', async () => {
    const deadLetteredBefore = (await metrics.deadLettered.get()).values.reduce((sum, v) => sum + v.value, 0);
    proxy.cut();
    await producer.send({
      topic: input,
      messages: Array.from({ length: 20 }, (_, i) => ({ key: 'c', value: amountAdded.toBuffer({ eventId: `c-${i}`, account: 'c', amount: 1 }) })),
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    proxy.restore();
    expect(await until(async () => ((await total('c')) === 20 ? 20 : undefined))).toBe(20);
    const deadLetteredAfter = (await metrics.deadLettered.get()).values.reduce((sum, v) => sum + v.value, 0);
    expect(deadLetteredAfter).toBe(deadLetteredBefore);
  });

  it('carries the trace from the producer through the consumer and the outbox to the next topic', async () => {
    const span = tracer().startSpan('test-producer');
    const headers = injectTraceHeaders({}, trace.setSpan(context.active(), span));
    span.end();
    const traceId = span.spanContext().traceId;
    await producer.send({ topic: input, messages: [{ key: 'd', value: amountAdded.toBuffer({ eventId: 'd-1', account: 'd', amount: 1 }), headers }] });
    // wait for account d's own event (the earlier tests' events are on the output topic too)
    const ofD = async () => (await readAll(kafka, output, await countOutput())).filter((m) => (tallyChanged.fromBuffer(m.value) as { account: string }).account === 'd');
    const forD = await until(async () => {
      const found = await ofD();
      return found.length ? found : undefined;
    });
    expect(forD).toHaveLength(1);
    expect(forD[0]!.headers.traceparent).toContain(traceId);
    const consumeSpan = exporter.getFinishedSpans().find((s) => s.name === `consume ${input}` && s.spanContext().traceId === traceId);
    expect(consumeSpan).toBeDefined();
  });

  it('commits the offset of every handled batch while it goes on, and all of them before it leaves the group', async () => {
    // a group and topic of its own, read by a second consumer whose handler only counts
    const topic = `${prefix}commits.v1`;
    const groupId = `${prefix}commits-group`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [{ name: topic, partitions: 3, retentionMs: 3600000, cleanupPolicy: 'delete' as const }]);
      let handled = 0;
      const counting = new BatchConsumer({ kafka, groupId, topics: [topic], producer, logger, deadLetterTopic: dlq, partitionsConsumedConcurrently: 3, handle: async (messages) => void (handled += messages.length) });
      await counting.start();
      const committedEqualsEnd = async () => {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return committed!.partitions.every((p) => p.offset === ends.get(p.partition)) ? true : undefined;
      };
      const send = (round: number) =>
        producer.send({ topic, messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 7}`, value: Buffer.from(`${round}-${i}`) })) });
      await send(1);
      await until(async () => (handled === 60 ? true : undefined));
      // committed without anyone waiting for it
      expect(await until(committedEqualsEnd)).toBe(true);
      await send(2);
      await until(async () => (handled === 120 ? true : undefined));
      await counting.stop();
      // a graceful stop leaves nothing uncommitted: checked once, right after it returns
      expect(await committedEqualsEnd()).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });

  async function countOutput(): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(output);
    await admin.disconnect();
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  }
});
