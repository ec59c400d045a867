import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { createTestDatabase, repoRoot, testKafkaBrokers, testTopicPrefix } from '@hub/testkit';
import { createKafka, ensureTopics, platformProducerConfig } from '../src';
import { amountAdded, tallyChanged, type TallyChanged } from './tally/tally';

// Proof that nothing is lost or doubled: 20,000 events go through a consumer that writes
// state and emits events through the outbox, once undisturbed and once while the consumer
// and the relays are killed with SIGKILL at random moments; the final state and the
// distinct downstream events must be equal, every account's versions contiguous, and the
// state must count each input event exactly once.
const EVENTS = 20_000;
const ACCOUNTS = 500;

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
}

interface RunResult {
  state: Map<string, { total: number; version: number }>;
  distinctEvents: Map<string, TallyChanged>;
  delivered: number;
  kills: number;
}

class Worker {
  private child: ChildProcess | undefined;
  constructor(private readonly args: string[]) {}
  start(): void {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'tally', 'tally-worker.ts'), ...this.args], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.json') },
    });
  }
  kill(): void {
    this.child?.kill('SIGKILL');
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    child.kill('SIGKILL');
  }
}

async function produceInput(kafka: Kafka, topic: string): Promise<Map<string, number>> {
  const random = seeded(42);
  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  const expectedTotals = new Map<string, number>();
  for (let start = 0; start < EVENTS; start += 1000) {
    const messages = [];
    for (let i = start; i < start + 1000; i++) {
      const account = `acc-${Math.floor(random() * ACCOUNTS)}`;
      const amount = Math.floor(random() * 100) - 20;
      expectedTotals.set(account, (expectedTotals.get(account) ?? 0) + amount);
      messages.push({ key: account, value: amountAdded.toBuffer({ eventId: `in-${i}`, account, amount }) });
    }
    await producer.send({ topic, acks: -1, messages });
    // spread the input over time so that the kills land while work is in flight
    await new Promise((resolve) => setTimeout(resolve, 600));
  }
  await producer.disconnect();
  return expectedTotals;
}

async function readOutput(kafka: Kafka, topic: string, groupId: string): Promise<{ distinct: Map<string, TallyChanged>; delivered: number; orderViolations: number }> {
  const distinct = new Map<string, TallyChanged>();
  const highestSeen = new Map<string, number>();
  let delivered = 0;
  let orderViolations = 0;
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        delivered++;
        const event = tallyChanged.fromBuffer(message.value!) as TallyChanged;
        const previous = distinct.get(event.eventId);
        if (previous && previous.total !== event.total) throw new Error(`event ${event.eventId} published with two different payloads`);
        // A relay that takes over may republish a few rows; a new version must never overtake an older one unseen.
        if (!previous) {
          if (event.version !== (highestSeen.get(event.account) ?? 0) + 1) orderViolations++;
          highestSeen.set(event.account, event.version);
        }
        distinct.set(event.eventId, event);
        if (distinct.size === EVENTS) resolve();
      },
    });
  });
  await consumer.disconnect();
  return { distinct, delivered, orderViolations };
}

async function runPipeline(name: string, faults: boolean): Promise<RunResult & { expectedTotals: Map<string, number>; orderViolations: number; killsWhileBusy: number }> {
  const prefix = `${testTopicPrefix()}${name}.`;
  const input = `${prefix}input.v1`;
  const output = `${prefix}output.v1`;
  const kafka = createKafka({ brokers: testKafkaBrokers(), clientId: `chaos-${name}` });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [input, output, `${input}.dlq`].map((topic) => ({ name: topic, partitions: 6, retentionMs: 3600000, cleanupPolicy: 'delete' as const })));
  await admin.disconnect();
  const databaseUrl = await createTestDatabase(`chaos_${name}`);
  const producing = produceInput(kafka, input);

  const args = (mode: string) => [mode, databaseUrl, testKafkaBrokers().join(','), input, output, `${prefix}tally`];
  const consumer = new Worker(args('consumer'));
  const relays = [new Worker(args('relay')), new Worker(args('relay'))];
  consumer.start();
  relays.forEach((relay) => relay.start());

  const db = new Client({ connectionString: databaseUrl });
  let kills = 0;
  let killsWhileBusy = 0;
  let inputDone = false;
  const expectedTotalsPromise = producing.then((totals) => {
    inputDone = true;
    return totals;
  });
  const random = seeded(7);
  const deadline = Date.now() + 240_000;
  try {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`${name}: pipeline did not finish in time`);
      await new Promise((resolve) => setTimeout(resolve, faults ? 500 + random() * 2500 : 500));
      if (faults && kills < 8) {
        if (!inputDone) killsWhileBusy++;
        const victim = random() < 0.5 ? consumer : relays[Math.floor(random() * relays.length)]!;
        victim.kill();
        kills++;
        await new Promise((resolve) => setTimeout(resolve, random() * 1000));
        victim.start();
        continue;
      }
      if (!db.listenerCount('error')) {
        db.on('error', () => undefined);
        await db.connect().catch(() => undefined);
      }
      const [{ applied }] = (await db.query(`SELECT coalesce(sum(version), 0)::int AS applied FROM tally`).catch(() => ({ rows: [{ applied: 0 }] }))).rows;
      const [{ pending }] = (await db.query(`SELECT count(*)::int AS pending FROM outbox`).catch(() => ({ rows: [{ pending: 1 }] }))).rows;
      if (inputDone && applied === EVENTS && pending === 0) break;
    }
    const expectedTotals = await expectedTotalsPromise;
    const { rows } = await db.query<{ account: string; total: string; version: number }>(`SELECT account, total, version FROM tally`);
    const state = new Map(rows.map((row) => [row.account, { total: Number(row.total), version: row.version }]));
    const { distinct, delivered, orderViolations } = await readOutput(kafka, output, `${prefix}reader`);
    return { state, distinctEvents: distinct, delivered, kills, killsWhileBusy, expectedTotals, orderViolations };
  } finally {
    await Promise.all([consumer.stop(), ...relays.map((relay) => relay.stop())]);
    await db.end().catch(() => undefined);
  }
}

describe('kill and restart', () => {
  it('ends with exactly the state and events of an undisturbed run', async () => {
    const calm = await runPipeline('calm', false);
    const chaotic = await runPipeline('chaos', true);

    expect(chaotic.kills).toBeGreaterThanOrEqual(8);
    expect(chaotic.killsWhileBusy).toBeGreaterThanOrEqual(4);
    // every input event counted exactly once in the final state
    expect([...calm.state].map(([account, value]) => [account, value.total]).sort()).toEqual([...calm.expectedTotals].sort());
    expect([...chaotic.state].sort()).toEqual([...calm.state].sort());
    // the same downstream events, none lost, none with a different payload
    expect(chaotic.distinctEvents.size).toBe(EVENTS);
    expect([...chaotic.distinctEvents.values()].sort((a, b) => a.eventId.localeCompare(b.eventId))).toEqual(
      [...calm.distinctEvents.values()].sort((a, b) => a.eventId.localeCompare(b.eventId)),
    );
    // per account, versions first appear in order
    expect(chaotic.orderViolations).toBe(0);
    expect(calm.delivered).toBe(EVENTS);
    process.stderr.write(`[kill-and-restart] ${chaotic.kills} kills, ${chaotic.killsWhileBusy} while input was arriving; ${chaotic.delivered - EVENTS} events republished by relays after a kill\n`);
  }, 600_000);
});
