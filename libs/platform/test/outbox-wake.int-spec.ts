import { createTestDatabase, testKafkaBrokers, testTopicPrefix } from '@hub/testkit';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { OutboxRelay, PlatformTables1764133200000, appendToOutbox, createKafka, createLogger, ensureTopics, openDatabase, platformProducerConfig } from '../src';
import { readValues } from './helpers/read-topic';
import { until } from './helpers/until';

const logger = createLogger('outbox-wake-test', 'silent');
const count = async (dataSource: DataSource) => ((await dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0]!.n;

/**
 * An idle relay is woken by the commit of outbox rows (a PostgreSQL notification), not only by
 * its poll: latency from a change to its event must not include the idle wait. The relays here
 * wait an hour between polls, so only the notification can make them publish within the test.
 */
describe(`${OutboxRelay.name} woken by a commit`, () => {
  const topic = `${testTopicPrefix()}wake.events.v1`;
  let kafka: Kafka;
  let producer: Producer;
  let dataSource: DataSource;
  const relays: OutboxRelay[] = [];
  const event = (key: string, eventId: string) => ({ topic, key, aggregateType: 'test', eventType: 'TestEvent', eventId, payload: Buffer.from(eventId) });

  beforeAll(async () => {
    kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'outbox-wake-test' });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: topic, partitions: 1, retentionMs: 3600000, cleanupPolicy: 'delete' }]);
    await admin.disconnect();
    dataSource = await openDatabase({ url: await createTestDatabase('outbox-wake'), migrations: [PlatformTables1764133200000], poolSize: 4 });
    producer = kafka.producer(platformProducerConfig);
    await producer.connect();
  });

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await producer?.disconnect();
    await dataSource?.destroy();
  });

  it('publishes rows committed while it is idle at once, and never rows of a rolled-back transaction', async () => {
    const relay = new OutboxRelay(dataSource, producer, { logger, idleMs: 3_600_000 });
    relays.push(relay);
    relay.start();
    await until(async () => (relay.heldShards.length > 0 ? true : undefined));
    // let it find the outbox empty and go idle
    await new Promise((resolve) => setTimeout(resolve, 500));

    await dataSource
      .transaction(async (manager) => {
        await appendToOutbox(manager, [event('k1', 'rolled-back')]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await dataSource.transaction((manager) => appendToOutbox(manager, [event('k1', 'e1'), event('k2', 'e2')]));
    await until(async () => ((await count(dataSource)) === 0 ? true : undefined), 30000);

    // idle again, woken again
    await new Promise((resolve) => setTimeout(resolve, 500));
    await dataSource.transaction((manager) => appendToOutbox(manager, [event('k1', 'e3')]));
    await until(async () => ((await count(dataSource)) === 0 ? true : undefined), 30000);

    const seen = await readValues(kafka, topic, 3);
    expect(seen.sort()).toEqual(['e1', 'e2', 'e3']);
  });

  it('gives its connection back to the pool without the subscription when it stops', async () => {
    const relay = relays[0]!;
    await relay.stop();
    relays.length = 0;
    // pg_listening_channels() is per session: ask every session of the pool (at most 4)
    const sessions = await Promise.all(Array.from({ length: 4 }, () => dataSource.createQueryRunner()));
    try {
      for (const session of sessions) {
        await session.connect();
        const channels = (await session.query(`SELECT pg_listening_channels() AS channel`)) as { channel: string }[];
        expect(channels).toEqual([]);
      }
    } finally {
      for (const session of sessions) await session.release();
    }
  });
});
