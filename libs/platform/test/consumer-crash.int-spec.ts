import { decode, type DeadLetter } from '@hub/contracts';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix } from '@hub/testkit';
import { ConfigResourceTypes, type Kafka, type Producer } from 'kafkajs';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { BatchConsumer, PlatformTables1764133200000, createKafka, createLogger, openDatabase, platformProducerConfig } from '../src';
import { readRawValues } from './helpers/read-topic';
import { until } from './helpers/until';
import { TallyTable1764133300000, amountAdded, applyBatch, tallyTotal } from './tally/tally';

/** Collects a pino logger's lines, so the test can see what the consumer said. */
class LogLines extends Writable {
  readonly lines: { msg?: string; error?: string }[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(JSON.parse(line) as { msg?: string; error?: string });
    done();
  }
}

/**
 * kafkajs restarts a crashed consumer only after retriable errors; after a non-retriable one it
 * stays stopped, and a service would then consume nothing while its process looks healthy. Here
 * the crash is a real one: the dead-letter topic refuses the letter as too large
 * (MESSAGE_TOO_LARGE, non-retriable), as a topic whose max.message.bytes is set below the input
 * topic's would. Once an operator raises the limit, the consumer must be running again by itself.
 */
describe(`${BatchConsumer.name} after a non-retriable crash`, () => {
  const prefix = `${testTopicPrefix()}crash.`;
  const input = `${prefix}input.v1`;
  const output = `${prefix}output.v1`;
  const dlq = `${prefix}dlq.v1`;
  const log = new LogLines();
  let kafka: Kafka;
  let producer: Producer;
  let dataSource: DataSource;
  let consumer: BatchConsumer;

  beforeAll(async () => {
    kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'consumer-crash-test' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: input, numPartitions: 1, replicationFactor: 1 },
        { topic: output, numPartitions: 1, replicationFactor: 1 },
        // far smaller than any dead letter (it carries the original bytes, the reason, topic and group)
        { topic: dlq, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '100' }] },
      ],
    });
    await admin.disconnect();
    dataSource = await openDatabase({ url: await createTestDatabase('consumer_crash'), migrations: [PlatformTables1764133200000, TallyTable1764133300000], poolSize: 2 });
    producer = kafka.producer(platformProducerConfig);
    await producer.connect();
    consumer = new BatchConsumer({
      kafka, groupId: `${prefix}group`, topics: [input], producer, deadLetterTopic: dlq,
      logger: createLogger('consumer-crash-test', 'info', log),
      maxAttempts: 1, retryBackoffMs: 50, maxBackoffMs: 200,
      handle: (messages) => applyBatch(dataSource, messages, output),
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await dataSource?.destroy();
  });

  const total = (account: string) => tallyTotal(dataSource, account);

  it('starts itself again, then dead-letters the message and applies the rest once', async () => {
    const poison = Buffer.from('not avro at all');
    await producer.send({
      topic: input,
      messages: [
        { key: 'a', value: amountAdded.toBuffer({ eventId: 'before', account: 'a', amount: 5 }) },
        { key: 'a', value: poison },
        { key: 'a', value: amountAdded.toBuffer({ eventId: 'after', account: 'a', amount: 7 }) },
      ],
    });
    await until(async () => (log.lines.some((line) => line.msg === 'consumer crashed; starting it again') ? true : undefined));
    const crash = log.lines.find((line) => line.msg === 'consumer crashed; starting it again')!;
    expect(crash.error).toMatch(/larger than|too large/i);
    // the message before the poison was applied in the one-at-a-time pass; nothing after it yet
    expect(await total('a')).toBe(5);

    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: dlq, configEntries: [{ name: 'max.message.bytes', value: '1048588' }] }] });
    await admin.disconnect();

    expect(await until(async () => ((await total('a')) === 12 ? 12 : undefined))).toBe(12);
    const [letter] = await readRawValues(kafka, dlq, 1);
    const decoded = decode(letter!);
    expect(decoded.name).toBe('DeadLetter');
    expect((decoded.value as DeadLetter).value).toEqual(poison);
    expect((decoded.value as DeadLetter).errorCode).toBe('TEST.UNDECODABLE');
    // the redelivered first message was recognised as applied: 5 + 7, not 5 + 5 + 7
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await total('a')).toBe(12);
  });
});

