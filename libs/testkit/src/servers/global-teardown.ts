import Redis from 'ioredis';
import { dropRunResources } from './run-scope';

/** Removes what this run made (databases, topics, Redis keys) and stops any containers. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.HUB_TEST_RUN_ID;
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  if (runId && process.env.HUB_TEST_KEEP !== '1') {
    await dropRunResources(runId, brokers);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
    const stream = redis.scanStream({ match: `${runId}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
  const stop = (globalThis as Record<string, unknown>).__hubStopServers as (() => Promise<void>) | undefined;
  await stop?.();
}
