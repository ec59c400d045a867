import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, testKafkaBrokers } from '@hub/testkit';
import { makeBenchFile } from '../bench/make-bench-file';
import { ingestHarness } from './ingest-harness';

// SIGKILL the ingest process in the middle of a large load, restart, load the same file again:
// the distinct events on Kafka are exactly those of an undisturbed load of the same file.
const ROWS = 30_000;

function feedLoad(databaseUrl: string, prefix: string, file: string) {
  return spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'services/ingest/src/cli/feed.ts'), 'load', 'bench-people', file], {
    cwd: repoRoot,
    env: { ...process.env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.json'), DATABASE_URL: databaseUrl, DATABASE_SCHEMA: 'ingest', KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: prefix, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function finish(child: ReturnType<typeof spawn>): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out };
}

describe('ingest killed mid-load', () => {
  it('ends, after a restart and the same load again, with exactly the events of an undisturbed load', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-kill-')), 'people.csv');
    await makeBenchFile(file, ROWS, 'kill-test');
    const calm = await ingestHarness('kill-calm');
    const killed = await ingestHarness('kill-killed');
    try {
      const undisturbed = await finish(feedLoad(calm.databaseUrl, calm.prefix, file));
      expect(undisturbed.code).toBe(0);

      const victim = feedLoad(killed.databaseUrl, killed.prefix, file);
      const exited = finish(victim);
      // kill once some batches are recorded and before the load ends
      for (let i = 0; i < 600; i++) {
        const [{ n }] = await killed.dataSource.query(`SELECT count(*)::int AS n FROM source_record`).catch(() => [{ n: 0 }]);
        if (n >= ROWS / 5) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      victim.kill('SIGKILL');
      await exited;
      const [{ n: heldAtKill }] = await killed.dataSource.query(`SELECT count(*)::int AS n FROM source_record`);
      expect(heldAtKill).toBeGreaterThan(0);
      expect(heldAtKill).toBeLessThan(ROWS);
      const rerun = await finish(feedLoad(killed.databaseUrl, killed.prefix, file));
      expect(rerun.code).toBe(0);
      expect(JSON.parse(rerun.out.trim().split('\n').pop()!)).toMatchObject({ rows: ROWS });

      for (const topic of ['hub.ingest.person-observed.v1', 'hub.ingest.partner-records.v1']) {
        const expected = new Map((await calm.read(topic)).map((m) => [m.eventId, JSON.stringify({ ...m.value, envelope: { ...(m.value.envelope as object), receivedAt: 0, occurredAt: 0 } })]));
        const actual = new Map((await killed.read(topic)).map((m) => [m.eventId, JSON.stringify({ ...m.value, envelope: { ...(m.value.envelope as object), receivedAt: 0, occurredAt: 0 } })]));
        expect(actual.size).toBe(ROWS);
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [id, value] of expected) expect(actual.get(id)).toBe(value);
      }
    } finally {
      await calm.close();
      await killed.close();
    }
  });
});
