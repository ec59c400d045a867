import { createTestDatabase, testKafkaBrokers, testTopicPrefix } from '@hub/testkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { PlatformTables1764133200000, RelayThread, appendToOutbox, createKafka, createLogger, ensureTopics, openDatabase } from '../src';
import { readValues } from './helpers/read-topic';
import { until } from './helpers/until';

const logger = createLogger('relay-thread-test', 'silent');
// the thread runs the built script (npm test builds before it tests)
const workerFile = join(__dirname, '..', 'dist', 'outbox', 'relay-thread.worker.js');
const count = async (dataSource: DataSource) => ((await dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0]!.n;

/**
 * The outbox relay on a worker thread (what mdm runs): the same relay, so the same outcome as
 * on the main thread (every committed row published once Kafka has it, in order per key, then
 * deleted), with its counters carried into the service's registry, a clean stop, and a clear
 * error when it cannot start.
 */
describe(RelayThread.name, () => {
  const topic = `${testTopicPrefix()}relay-thread.events.v1`;
  let kafka: Kafka;
  let databaseUrl: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    expect(existsSync(workerFile)).toBe(true);
    kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'relay-thread-test' });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: topic, partitions: 3, retentionMs: 3600000, cleanupPolicy: 'delete' }]);
    await admin.disconnect();
    databaseUrl = await createTestDatabase('relay-thread');
    dataSource = await openDatabase({ url: databaseUrl, migrations: [PlatformTables1764133200000], poolSize: 4 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('publishes committed rows in order per key, deletes them, reports its counters to the main registry, and stops', async () => {
    const registry = new Registry();
    const failures: string[] = [];
    const thread = await RelayThread.start({ service: 'relay-thread-test', logLevel: 'silent', databaseUrl, brokers: testKafkaBrokers() }, logger, registry, (error) => failures.push(error), workerFile);
    expect(thread.running).toBe(true);

    const keys = ['a', 'b', 'c', 'd'];
    const written: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      await dataSource.transaction((manager) =>
        appendToOutbox(manager, keys.map((key) => {
          const eventId = `${key}-${batch}`;
          written.push(eventId);
          return { topic, key, aggregateType: 'test', eventType: 'TestEvent', eventId, payload: Buffer.from(eventId) };
        })),
      );
    }
    await until(async () => ((await count(dataSource)) === 0 ? true : undefined), 30000);

    const seen = await readValues(kafka, topic, written.length);
    expect([...seen].sort()).toEqual([...written].sort());
    // each key's events in the order they were written
    for (const key of keys) expect(seen.filter((id) => id.startsWith(`${key}-`))).toEqual([0, 1, 2, 3, 4].map((batch) => `${key}-${batch}`));

    // the thread's counters reach the registry the service's /metrics endpoint serves
    const published = await until(async () => {
      const text = await registry.metrics();
      const value = Number(/^hub_outbox_published_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
      return value >= written.length ? value : undefined;
    }, 10000);
    expect(published).toBe(written.length);

    await thread.stop();
    expect(thread.running).toBe(false);
    expect(failures).toEqual([]);
  });

  it('refuses to start, with the reason, when it cannot reach its database', async () => {
    const unreachable = 'postgres://root@127.0.0.1:1/nowhere';
    await expect(RelayThread.start({ service: 'relay-thread-test', logLevel: 'silent', databaseUrl: unreachable, brokers: testKafkaBrokers() }, logger, new Registry(), () => undefined, workerFile))
      .rejects.toThrow(/outbox relay thread failed to start: .*ECONNREFUSED/);
  });
});
