import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, resolveTestServers } from './test-servers';

/**
 * Jest global setup for integration and end-to-end tests: finds or starts the servers
 * once, then hands their addresses and this run's id to every test worker through the
 * environment (workers are forked after this runs, so they inherit it).
 */
export default async function globalSetup(): Promise<void> {
  const { servers, stop } = await resolveTestServers();
  process.env.HUB_TEST_RUN_ID = servers.runId;
  process.env.KAFKA_BROKERS = servers.kafkaBrokers.join(',');
  process.env.DATABASE_URL = servers.databaseUrl;
  process.env.REDIS_URL = servers.redisUrl;
  (globalThis as Record<string, unknown>).__hubStopServers = stop;
  mkdirSync(join(repoRoot, '.run'), { recursive: true });
  writeFileSync(join(repoRoot, '.run', 'test-servers.json'), JSON.stringify(servers, null, 2));
  process.stderr.write(`\n[testkit] run ${servers.runId} on ${servers.startedBy}: kafka ${servers.kafkaBrokers.join(',')}\n`);
}
