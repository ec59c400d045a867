import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersonDetails } from '@hub/contracts';
import { openDatabase, PlatformTables1764133200000 } from '@hub/platform';
import { loadTables } from '@hub/synthetic';
import { ServiceProcess, testKafkaBrokers, testRedisUrl } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { ingestHarness, type IngestHarness, personRow, BENCH_HEADER } from '../../ingest/test/ingest-harness';
import { MdmLogEntries1764160000000 } from '../src/database/mdm-log-entries.migration';
import { MdmTables1764150000000 } from '../src/database/mdm-tables.migration';
import { buildNameTables, DEFAULT_RESOLVER_OPTIONS, IncrementalResolver, type RecordedEdge, recordedEdges, toMatchRecord } from '../src/matching/domain';


// Records go in through ingest and come out of the running mdm service as master persons;
// the masters equal what the matcher library makes of the same records in the same order,
// also after mdm is killed with SIGKILL mid-stream and restarted.
describe('mdm through the pipeline', () => {
  let hub: IngestHarness;
  let mdm: ServiceProcess;
  let db: DataSource;
  let env: Record<string, string>;

  beforeAll(async () => {
    hub = await ingestHarness('mdm-e2e');
    env = { DATABASE_URL: hub.databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: hub.prefix, REDIS_URL: testRedisUrl() };
    mdm = await ServiceProcess.start('mdm', env);
    db = await openDatabase({ url: hub.databaseUrl, schema: 'mdm', migrations: [PlatformTables1764133200000, MdmTables1764150000000, MdmLogEntries1764160000000], poolSize: 2 });
  });
  afterAll(async () => {
    await mdm?.stop();
    await db?.destroy();
    await hub?.close();
  });

  async function logged(): Promise<number> {
    return (await db.query(`SELECT count(*)::int AS n FROM observation_log WHERE kind IN ('observed', 'withdrawn')`))[0].n;
  }

  async function waitFor(count: number): Promise<void> {
    for (let i = 0; i < 600 && (await logged()) < count; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await logged()).toBe(count);
  }

  it('resolves observations into masters equal to the library\'s for the same order, across SIGKILLs between loads and mid-stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-mdm-'));
    // 60 people, each seen twice (the second time with a typo or a missing NHS number), plus a withdrawal
    const surname = (i: number) => `${['Ash', 'Birch', 'Cedar', 'Elm', 'Hazel', 'Larch', 'Maple', 'Oak', 'Rowan', 'Willow'][i % 10]}${['ford', 'ley', 'ton', 'wick', 'by', 'ham'][Math.floor(i / 10)]}`;
    const forename = (i: number) => ['Amelia', 'Oliver', 'Isla', 'George'][i % 4]!;
    // distinct people: their own date of birth and postcode
    const own = (i: number) => ({ forename: forename(i), dob: `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/${1950 + i}`, postcode: `L${1 + (i % 20)} ${i % 9}AB` });
    const first = Array.from({ length: 60 }, (_, i) => personRow(1000 + i, { ...own(i), surname: surname(i) }));
    const second = Array.from({ length: 60 }, (_, i) =>
      personRow(1000 + i, { ...own(i), person_id: `Q${i}`, surname: i % 5 === 0 ? `${surname(i)}e` : surname(i), nhs_number: i % 3 === 0 ? '' : personRow(1000 + i).split(',')[5]! }));
    writeFileSync(join(dir, 'a.csv'), `${BENCH_HEADER}\n${first.join('\n')}\n`);
    writeFileSync(join(dir, 'b.csv'), `${BENCH_HEADER}\n${second.join('\n')}\n`);
    expect(await hub.runner.loadFile('test-people', join(dir, 'a.csv'))).toMatchObject({ accepted: 60 });
    await waitFor(60);
    mdm.kill();
    await mdm.waitExit();
    expect(await hub.runner.loadFile('test-people', join(dir, 'b.csv'))).toMatchObject({ accepted: 60 });
    mdm.spawn();
    await mdm.waitReady();
    await waitFor(120);

    // 1,500 more people while mdm runs, and a SIGKILL while it is in the middle of them
    const syllable = ['ab', 'bel', 'cor', 'dun', 'ev', 'fal', 'gor', 'hin', 'ist', 'jor'];
    const third = Array.from({ length: 1500 }, (_, i) => personRow(20000 + i, {
      forename: ['Nia', 'Owen', 'Ruth', 'Seth'][i % 4]!, surname: `${syllable[i % 10]}${syllable[Math.floor(i / 10) % 10]}${syllable[Math.floor(i / 100) % 10]}ley`,
      dob: `${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/${1900 + (i % 100)}`, postcode: `L${1 + (i % 30)} ${i % 10}CD`,
    }));
    writeFileSync(join(dir, 'c.csv'), `${BENCH_HEADER}\n${third.join('\n')}\n`);
    const loading = hub.runner.loadFile('test-people', join(dir, 'c.csv'));
    let atKill = 0;
    for (let i = 0; i < 3000 && atKill === 0; i++) {
      const n = await logged();
      if (n > 120 + 100) atKill = n;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    mdm.kill();
    await mdm.waitExit();
    expect(await loading).toMatchObject({ accepted: 1500 });
    const afterKill = await logged();
    expect(afterKill).toBeLessThan(120 + 1500); // it really died mid-stream
    mdm.spawn();
    await mdm.waitReady();
    // the restart replayed the whole log (the records and the first model), and says how long it took
    const metrics = await (await fetch(`${mdm.url}/metrics`)).text();
    expect(Number(metrics.match(/^mdm_projection_rebuild_entries(?:\{[^}]*\})? (\d+)$/m)?.[1])).toBe(afterKill + 1);
    expect(metrics).toMatch(/^mdm_projection_rebuild_seconds(?:\{[^}]*\})? \d/m);
    await waitFor(120 + 1500);
    // nothing applied twice
    expect((await db.query(`SELECT count(DISTINCT event_id)::int AS n FROM observation_log WHERE kind = 'observed'`))[0].n).toBe(120 + 1500);

    // the library, fed the same records in the order mdm applied them
    const names = buildNameTables(loadTables().names);
    const shipped = JSON.parse(readFileSync(join(__dirname, '..', 'config', 'match-model.json'), 'utf8'));
    const library = new IncrementalResolver(shipped, DEFAULT_RESOLVER_OPTIONS);
    const log: { record_key: string; kind: string; source_system: string; person: PersonDetails | null; detail: { edges?: RecordedEdge[] } | null }[] =
      await db.query(`SELECT record_key, kind, source_system, person, detail FROM observation_log WHERE kind IN ('observed', 'withdrawn') ORDER BY seq`);
    let recordedLinks = 0;
    for (const row of log) {
      if (row.kind !== 'observed') {
        library.withdraw(row.record_key);
        continue;
      }
      const resolution = library.add(toMatchRecord(row.record_key, row.source_system, row.person!, { names }));
      // each entry holds the edges it was given, weights exact, which is what a restart restores
      expect({ key: row.record_key, edges: row.detail?.edges }).toEqual({ key: row.record_key, edges: recordedEdges(row.record_key, resolution.edges) });
      recordedLinks += row.detail!.edges!.filter(([, kind]) => kind === 'link').length;
    }
    expect(recordedLinks).toBeGreaterThanOrEqual(40);
    const expected = library.snapshot().map((m) => `${m.masterId}:${[...m.records].sort().join(',')}`).sort();
    const stored: { id: string; records: string[] }[] = await db.query(`SELECT id, records FROM master WHERE status = 'active'`);
    expect(stored.map((m) => `${m.id}:${[...m.records].sort().join(',')}`).sort()).toEqual(expected);
    // and the masters actually link the two sightings of most people
    expect(stored.filter((m) => m.records.length === 2).length).toBeGreaterThanOrEqual(40);

    // master events reached Kafka through the outbox
    let events: Awaited<ReturnType<IngestHarness['read']>> = [];
    for (let i = 0; i < 50 && events.length === 0; i++) {
      events = await hub.read('hub.mdm.master-persons.v1');
      if (!events.length) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(new Set(events.map((e) => e.name))).toContain('MasterPersonCreated');
    // Groups of this size are written in several statements (rows and events by chunks): each
    // active master's events still arrive in the order of its versions, the last one the
    // version its row holds.
    const versions: { id: string; version: number }[] = await db.query(`SELECT id, version FROM master WHERE status = 'active'`);
    const lastOf = (found: typeof events) => {
      const seen = new Map<string, number[]>();
      for (const e of found) seen.set(e.key, [...(seen.get(e.key) ?? []), Number(e.value.version)]);
      return seen;
    };
    for (let i = 0; i < 50 && !versions.every((m) => lastOf(events).get(m.id)?.at(-1) === m.version); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      events = await hub.read('hub.mdm.master-persons.v1');
    }
    const byMaster = lastOf(events);
    for (const m of versions) {
      const seen = byMaster.get(m.id) ?? [];
      expect({ id: m.id, last: seen.at(-1) }).toEqual({ id: m.id, last: m.version });
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }

    // no personal data in mdm's log (surnames, NHS numbers, dates of birth of the records above)
    expect(mdm.log.length).toBeGreaterThan(500);
    for (const value of [surname(7), surname(42), personRow(1007).split(',')[5]!, '1957-08-08', '08/08/1957']) expect(mdm.log).not.toContain(value);
  });
});
