import { randomBytes } from 'node:crypto';
import { ALL_TOPICS } from '@hub/contracts';
import { createKafka, ensureTopics, type TopicSpec } from '@hub/platform';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';

export interface IsolatedRun {
  /** Prepended to every topic of this run. */
  prefix: string;
  /** A database of its own. */
  databaseUrl: string;
  kafka: Kafka;
}

/**
 * A benchmark or evaluation run apart from everything else on the servers: its own topic
 * prefix (all the hub's topics created under it, plus any extra ones) and its own database,
 * both removed afterwards whatever happens.
 */
export async function withIsolatedRun<T>(name: string, work: (run: IsolatedRun) => Promise<T>, extraTopics: readonly TopicSpec[] = []): Promise<T> {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const id = `${name}${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const prefix = `${id}.`;
  const kafka = createKafka({ brokers, clientId: name });
  const admin = kafka.admin();
  await admin.connect();
  const pg = new Client({ connectionString: adminUrl });
  await pg.connect();
  const database = `hub_${id}`;
  try {
    const hubTopics = ALL_TOPICS.filter((topic) => topic.name.startsWith('hub.')).map((topic) => ({ ...topic, name: `${prefix}${topic.name}` }));
    await ensureTopics(admin, [...hubTopics, ...extraTopics.map((topic) => ({ ...topic, name: `${prefix}${topic.name}` }))]);
    await pg.query(`CREATE DATABASE "${database}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    return await work({ prefix, databaseUrl: url.toString(), kafka });
  } finally {
    const created = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
    await pg.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
    await pg.end();
  }
}
