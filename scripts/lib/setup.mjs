// Helpers shared by `npm start`, `npm test` and the stack commands: make sure dependencies
// are installed and the servers the hub needs are reachable, with messages a new user can act on.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function say(message) {
  process.stderr.write(`[hub] ${message}\n`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: repoRoot, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const lock = join(repoRoot, 'package-lock.json');
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

export function portAnswers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => done(true));
  });
}

function hostPort(url, defaultPort) {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

/** PostgreSQL and Redis are the machine's own; we check them and explain what is missing. */
export async function checkDatabaseAndCache() {
  const pg = hostPort(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 5432);
  const redis = hostPort(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 6379);
  const problems = [];
  if (!(await portAnswers(pg.host, pg.port))) problems.push(`PostgreSQL does not answer on ${pg.host}:${pg.port} (set DATABASE_URL)`);
  if (!(await portAnswers(redis.host, redis.port))) problems.push(`Redis does not answer on ${redis.host}:${redis.port} (set REDIS_URL)`);
  if (problems.length) throw new Error(problems.join('; '));
}

/** Starts the project's own Kafka broker unless KAFKA_BROKERS names another one. Returns true if it started it. */
export async function ensureKafka() {
  if (process.env.KAFKA_BROKERS) return false;
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  if (await portAnswers('127.0.0.1', port)) return false;
  run('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'start']);
  return true;
}

export function stopKafka() {
  execFileSync('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'stop'], { stdio: 'inherit' });
}
