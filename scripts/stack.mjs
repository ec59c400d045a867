// `npm run stack:up | stack:down | stack:status`: runs the whole hub on this machine without
// Docker: the project's Kafka broker, then every service from its build, in the background,
// with logs in .run/logs and process ids in .run/pids. `up` returns once all are healthy.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDatabaseAndCache, ensureDependencies, ensureKafka, repoRoot, run, say, stopKafka } from './lib/setup.mjs';
import { services } from './lib/services.mjs';

const runDir = join(repoRoot, '.run');
const logDir = join(runDir, 'logs');
const pidDir = join(runDir, 'pids');
const kafkaMarker = join(runDir, 'kafka-started-by-stack');

/** A secret made on first use and kept in the git-ignored .run folder, so none is ever committed. */
function localSecret(name) {
  const file = join(runDir, 'secrets', name);
  if (!existsSync(file)) {
    mkdirSync(join(runDir, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

function pidOf(name) {
  const file = join(pidDir, `${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    rmSync(file, { force: true });
    return undefined;
  }
}

async function health(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) });
    return { ready: response.ok, body: await response.json() };
  } catch (error) {
    return { ready: false, body: { status: 'no answer' } };
  }
}

function environmentFor(service) {
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    SERVICE_NAME: service.name,
    HTTP_PORT: String(service.port),
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hub',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    INGEST_API_KEY_SECRET: process.env.INGEST_API_KEY_SECRET ?? localSecret('ingest-api-key-secret'),
    INGEST_DROP_DIR: process.env.INGEST_DROP_DIR ?? join(runDir, 'drop'),
    // mdm's internal API and its one caller, portal-api, share this token
    MDM_SERVICE_TOKEN: process.env.MDM_SERVICE_TOKEN ?? localSecret('mdm-service-token'),
    // the key portal callers' bearer tokens are signed with (HS256); mint a local one with
    // node services/portal-api/dist/cli/issue-token.js <subject> [role...]
    PORTAL_JWT_SECRET: process.env.PORTAL_JWT_SECRET ?? localSecret('portal-jwt-secret'),
  };
}

async function up() {
  ensureDependencies();
  say('building services…');
  run('npx', ['tsc', '-b', 'tsconfig.build.json']);
  await checkDatabaseAndCache();
  if (await ensureKafka()) writeFileSync(kafkaMarker, '');
  run('node', ['scripts/run-ts.mjs', 'libs/platform/src/cli/topics.ts', 'create'], { stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(logDir, { recursive: true });
  mkdirSync(pidDir, { recursive: true });
  for (const service of services) {
    if (pidOf(service.name)) continue;
    const log = openSync(join(logDir, `${service.name}.log`), 'a');
    const child = spawn(process.execPath, [...(service.nodeArgs ?? []), '--enable-source-maps', join(repoRoot, 'services', service.name, 'dist', 'main.js')], {
      cwd: repoRoot,
      env: environmentFor(service),
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    writeFileSync(join(pidDir, `${service.name}.pid`), String(child.pid));
    child.unref();
  }
  const deadline = Date.now() + 90_000;
  const waiting = new Set(services.map((service) => service.name));
  while (waiting.size > 0) {
    for (const service of services.filter((s) => waiting.has(s.name))) {
      if (!pidOf(service.name)) {
        throw new Error(`${service.name} exited during start; see .run/logs/${service.name}.log`);
      }
      if ((await health(service.port)).ready) waiting.delete(service.name);
    }
    if (waiting.size === 0) break;
    if (Date.now() > deadline) throw new Error(`not healthy after 90 s: ${[...waiting].join(', ')}; see .run/logs/`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await status();
}

async function down() {
  for (const service of services) {
    const pid = pidOf(service.name);
    if (!pid) continue;
    process.kill(pid, 'SIGTERM');
  }
  const deadline = Date.now() + 30_000;
  while (services.some((service) => pidOf(service.name)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const service of services) {
    const pid = pidOf(service.name);
    if (pid) process.kill(pid, 'SIGKILL');
    rmSync(join(pidDir, `${service.name}.pid`), { force: true });
  }
  if (existsSync(kafkaMarker)) {
    stopKafka();
    rmSync(kafkaMarker, { force: true });
  }
  say('stack stopped');
}

async function status() {
  const rows = [];
  for (const service of services) {
    const pid = pidOf(service.name);
    const state = pid ? await health(service.port) : { ready: false, body: { status: 'stopped' } };
    rows.push({ service: service.name, pid: pid ?? '-', url: `http://127.0.0.1:${service.port}`, status: state.body.status, checks: Object.entries(state.body.checks ?? {}).map(([k, v]) => `${k}=${v}`).join(' ') });
  }
  const kafka = spawnSync('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'status'], { encoding: 'utf8' }).stdout.trim();
  rows.push({ service: 'kafka', pid: kafka.split(' ')[1] ?? '-', url: 'kafka://127.0.0.1:9092', status: kafka.split(' ')[0], checks: '' });
  const widths = Object.keys(rows[0]).map((key) => Math.max(key.length, ...rows.map((row) => String(row[key]).length)));
  const line = (values) => values.map((value, i) => String(value).padEnd(widths[i])).join('  ');
  process.stdout.write(`${line(Object.keys(rows[0]))}\n${rows.map((row) => line(Object.values(row))).join('\n')}\n`);
  process.stdout.write(`logs: .run/logs/<service>.log   metrics: <url>/metrics   health: <url>/health/ready\n`);
  return rows;
}

const command = process.argv[2];
const commands = { up, down, status };
if (!commands[command]) {
  process.stderr.write('usage: node scripts/stack.mjs up|down|status\n');
  process.exit(2);
}
commands[command]().catch((error) => {
  say(`stack ${command} failed: ${error.message}`);
  process.exit(1);
});
