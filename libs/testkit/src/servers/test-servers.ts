import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { dockerEngineAnswers } from './docker-engine';

/** Addresses of the servers a test run uses, and the names that keep this run apart. */
export interface TestServers {
  kafkaBrokers: string[];
  databaseUrl: string;
  redisUrl: string;
  /** Unique per run: prefixes topic, database and Redis key names so runs never collide. */
  runId: string;
  startedBy: 'environment' | 'local-servers' | 'testcontainers';
}

export const repoRoot = join(__dirname, '..', '..', '..', '..');

export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => done(true));
  });
}

export function newRunId(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * Decides which servers the tests use, in this order: addresses given in the environment
 * (KAFKA_BROKERS, DATABASE_URL, REDIS_URL); containers from testcontainers when a Docker
 * engine answers; otherwise the servers running on this machine, starting the project's
 * own Kafka broker if it is not up yet.
 */
export async function resolveTestServers(): Promise<{ servers: TestServers; stop: () => Promise<void> }> {
  const runId = newRunId();
  const given = process.env.KAFKA_BROKERS && process.env.DATABASE_URL && process.env.REDIS_URL;
  if (given) {
    return {
      servers: {
        kafkaBrokers: process.env.KAFKA_BROKERS!.split(','),
        databaseUrl: process.env.DATABASE_URL!,
        redisUrl: process.env.REDIS_URL!,
        runId,
        startedBy: 'environment',
      },
      stop: async () => undefined,
    };
  }
  if (process.env.HUB_TEST_NO_DOCKER !== '1' && (await dockerEngineAnswers())) {
    // required lazily: testcontainers is loaded only where a Docker engine exists
    const { startContainers } = require('./containers') as typeof import('./containers');
    const started = await startContainers();
    return { servers: { ...started.servers, runId, startedBy: 'testcontainers' }, stop: started.stop };
  }
  if (!(await portAnswers('127.0.0.1', 9092))) {
    execFileSync('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
  }
  return {
    servers: {
      kafkaBrokers: ['127.0.0.1:9092'],
      databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      runId,
      startedBy: 'local-servers',
    },
    stop: async () => undefined,
  };
}
