import { randomBytes } from 'node:crypto';
import { createTestDatabase, testKafkaBrokers, testTopicPrefix } from '@hub/testkit';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigResourceTypes, type Consumer, type Kafka, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  OutboxRelay, type ParkedMessage, PlatformMetrics, PlatformTables1764133200000, appendToOutbox, createKafka, createLogger, ensureTopics, openDatabase, platformProducerConfig,
} from '../src';
import { until } from './helpers/until';

const logger = createLogger('outbox-parking-test', 'silent');
const repoRoot = join(__dirname, '../../..');

async function readAll(kafka: Kafka, topic: string, count: number): Promise<{ key: string; value: string }[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `${topic}.reader.${Date.now()}` });
  const found: { key: string; value: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        found.push({ key: String(message.key), value: message.value!.length > 100 ? `<${message.value!.length} bytes>` : String(message.value) });
        if (found.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return found;
}

describe(`${OutboxRelay.name} and a message Kafka refuses for good`, () => {
  const topic = `${testTopicPrefix()}parking.events.v1`;
  let kafka: Kafka;
  let producer: Producer;
  let dataSource: DataSource;
  let relay: OutboxRelay;
  let databaseUrl: string;
  const metrics = new PlatformMetrics('test', { defaultMetrics: false });

  beforeAll(async () => {
    kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'outbox-parking-test' });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: topic, partitions: 1, retentionMs: 3600000, cleanupPolicy: 'delete' }]);
    await admin.disconnect();
    // Only the platform's first migration, as a service that has not listed the parked table's
    // migration yet: the relay creates the table itself when it first parks a row.
    databaseUrl = await createTestDatabase('parking');
    dataSource = await openDatabase({ url: databaseUrl, migrations: [PlatformTables1764133200000], poolSize: 4 });
    producer = kafka.producer(platformProducerConfig);
    await producer.connect();
  });

  afterAll(async () => {
    await relay?.stop();
    await producer?.disconnect();
    await dataSource?.destroy();
  });

  it('parks the oversized message with its reason and bytes, and the shard goes on with the next ones', async () => {
    // over the broker's message.max.bytes (8 MiB in infra/kafka, 1 MiB by Kafka's default)
    const oversized = randomBytes(9 * 1024 * 1024);
    const event = (key: string, eventId: string, payload: Buffer) => ({ topic, key, aggregateType: 'test', eventType: 'TestEvent', eventId, payload });
    await dataSource.transaction(async (manager) => {
      await appendToOutbox(manager, [
        event('k1', 'e1', Buffer.from('k1-first')),
        event('k1', 'e2', oversized),
        event('k1', 'e3', Buffer.from('k1-third')),
        event('k2', 'e4', Buffer.from('k2-first')),
      ]);
    });
    await dataSource.transaction(async (manager) => {
      await appendToOutbox(manager, [event('k1', 'e5', Buffer.from('k1-fifth'))]);
    });

    relay = new OutboxRelay(dataSource, producer, { logger, metrics, claimEveryMs: 100 });
    relay.start();
    await until(async () => {
      const [{ n }] = (await dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[];
      return n === 0 ? true : undefined;
    });

    const delivered = await readAll(kafka, topic, 4);
    expect(delivered).toEqual([
      { key: 'k1', value: 'k1-first' },
      { key: 'k1', value: 'k1-third' },
      { key: 'k2', value: 'k2-first' },
      { key: 'k1', value: 'k1-fifth' },
    ]);

    const parked = (await dataSource.query(`SELECT message_key, event_id, topic, payload, reason_code, reason FROM outbox_parked`)) as {
      message_key: string; event_id: string; topic: string; payload: Buffer; reason_code: string; reason: string;
    }[];
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ message_key: 'k1', event_id: 'e2', topic, reason_code: 'KAFKA.MESSAGE_TOO_LARGE' });
    expect(parked[0]!.reason).toContain(`${oversized.length} bytes`);
    expect(Buffer.compare(parked[0]!.payload, oversized)).toBe(0);
    expect((await metrics.registry.getSingleMetric('hub_outbox_parked_total')!.get()).values).toEqual([
      { labels: { topic, reason: 'MESSAGE_TOO_LARGE' }, value: 1 },
    ]);
  });

  it('lists the parked message and, once the topic takes larger messages, replays it through the relay', async () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'scripts/run-ts.mjs'), 'libs/platform/src/cli/outbox.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: 'public' }, encoding: 'utf8',
    });
    const listed = cli('parked', 'test');
    if (listed.status !== 0) throw new Error(listed.stderr);
    expect(listed.status).toBe(0);
    const lines = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as ParkedMessage);
    expect(lines).toEqual([expect.objectContaining({ key: 'k1', eventId: 'e2', topic, bytes: 9 * 1024 * 1024, reasonCode: 'KAFKA.MESSAGE_TOO_LARGE' })]);
    expect(cli('replay', 'test').status).toBe(2);
    expect(cli('replay', 'test', 'e2').stderr).toContain('is not a message id');

    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: String(16 * 1024 * 1024) }] }] });
    await admin.disconnect();
    const replayed = cli('replay', 'test', lines[0]!.id, '999999');
    expect(JSON.parse(replayed.stdout)).toEqual({ schema: 'public', replayed: [lines[0]!.id], notParked: ['999999'] });
    expect(replayed.status).toBe(1);

    await until(async () => {
      const [{ n }] = (await dataSource.query(`SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM outbox_parked) AS n`)) as { n: string }[];
      return Number(n) === 0 ? true : undefined;
    });
    const delivered = await readAll(kafka, topic, 5);
    expect(delivered[4]).toEqual({ key: 'k1', value: `<${9 * 1024 * 1024} bytes>` });
    expect(cli('parked', 'test').stdout.trim()).toBe('');
  });
});
