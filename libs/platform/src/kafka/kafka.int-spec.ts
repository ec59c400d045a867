import type { Admin, Consumer, Producer } from 'kafkajs';
import { testKafkaBrokers, testTopicPrefix } from '@hub/testkit';
import { createKafka } from './kafka-connection';
import { platformAcks, platformCompression, platformProducerConfig } from './producer-settings';
import { ensureTopics } from './topic-admin';

// The spike: kafkajs against the real Apache Kafka 4.x broker, with the idempotent producer
// sending many batches at once (a known trouble spot for kafkajs) and a consumer group
// reading everything back in per-key order.
describe('kafkajs against the real broker', () => {
  const kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'spike' });
  const topic = `${testTopicPrefix()}spike.v1`;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: topic, partitions: 6, retentionMs: 3600000, cleanupPolicy: 'delete' }]);
    producer = kafka.producer(platformProducerConfig);
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('creates topics only when missing', async () => {
    expect(await ensureTopics(admin, [{ name: topic, partitions: 6, retentionMs: 3600000, cleanupPolicy: 'delete' }])).toEqual([]);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]!.partitions).toHaveLength(6);
  });

  it('delivers every message of many concurrent idempotent sends once, in order per key', async () => {
    const keys = 40;
    const perKey = 100;
    const sends: Promise<unknown>[] = [];
    for (let round = 0; round < perKey; round += 10) {
      // 10 messages per key per send, all keys' sends in flight together
      for (let key = 0; key < keys; key++) {
        const messages = Array.from({ length: 10 }, (_, i) => ({ key: `k${key}`, value: String(round + i) }));
        sends.push(producer.send({ topic, acks: platformAcks, compression: platformCompression, messages }));
      }
      // keep per-key order: the next round for a key starts after this one is acknowledged
      await Promise.all(sends.splice(0));
    }

    const seen = new Map<string, number[]>();
    let total = 0;
    consumer = kafka.consumer({ groupId: `${testTopicPrefix()}spike-group` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const key = message.key!.toString();
            seen.set(key, [...(seen.get(key) ?? []), Number(message.value!.toString())]);
            if (++total === keys * perKey) resolve();
          },
        })
        .catch(reject);
    });

    expect(total).toBe(keys * perKey);
    for (let key = 0; key < keys; key++) {
      expect(seen.get(`k${key}`)).toEqual(Array.from({ length: perKey }, (_, i) => i));
    }
  });
});
