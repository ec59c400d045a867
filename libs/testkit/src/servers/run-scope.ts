import { Kafka } from 'kafkajs';
import { Client } from 'pg';

/**
 * Names that belong to this test run. The servers outlive a run (CI runs on the machine
 * used for development), so every topic, database and Redis key a test makes carries the
 * run id, and teardown removes exactly those.
 */
export function testRunId(): string {
  const id = process.env.HUB_TEST_RUN_ID;
  if (!id) throw new Error('HUB_TEST_RUN_ID is not set: run integration tests through jest (global setup)');
  return id;
}

export function testTopicPrefix(): string {
  return `${testRunId()}.`;
}

export function testKafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

export function testRedisKeyPrefix(): string {
  return `${testRunId()}:`;
}

function adminDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function databaseUrlFor(database: string): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database owned by this run and returns its URL. */
export async function createTestDatabase(purpose: string): Promise<string> {
  const name = `hub_${testRunId()}_${purpose}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return databaseUrlFor(name);
}

/** Drops every database and topic whose name carries the given prefix. */
export async function dropRunResources(runId: string, brokers: string[]): Promise<void> {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`hub_${runId.toLowerCase()}_%`],
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const admin = new Kafka({ brokers, clientId: 'testkit-teardown', logLevel: 0 }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${runId}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30000 });
  } finally {
    await admin.disconnect();
  }
}
