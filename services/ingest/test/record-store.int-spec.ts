import { openDatabase, PlatformTables1764133200000 } from '@hub/platform';
import { createTestDatabase, planReads } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { IngestRecordRevision1764200000000, IngestTables1764140000000 } from '../src/database/ingest-tables.migration';
import { HELD_VERSIONS_SQL, MARK_SEEN_SQL, MARK_WITHDRAWN_SQL, probeByKey, RecordStore } from '../src/loads/record-store';

const FEED = 'plans';
const HELD = 30_000;

function planOf(dataSource: DataSource, sql: string, parameters: unknown[], probe = false): Promise<string[]> {
  return dataSource.transaction(async (manager) => {
    if (probe) await probeByKey(manager);
    return planReads(manager, sql, parameters, 'source_record');
  });
}

/**
 * A batch's lookups and updates must cost the same on a feed of thirty thousand records as on
 * an empty one: each probes the primary key per id. PostgreSQL left to itself hashed every row
 * of the feed, and ingest slowed as the table grew (docs/benchmarks.md, "Ingest").
 */
describe('ingest\'s record store on PostgreSQL, against a feed that already holds many records', () => {
  let dataSource: DataSource;
  let store: RecordStore;
  const batch = Array.from({ length: 2000 }, (_, i) => `R${i * 7}`);

  beforeAll(async () => {
    dataSource = await openDatabase({
      url: await createTestDatabase('ingest_record_store'), schema: 'ingest',
      migrations: [PlatformTables1764133200000, IngestTables1764140000000, IngestRecordRevision1764200000000], poolSize: 2,
    });
    await dataSource.query(
      `INSERT INTO source_record (feed, source_record_id, version, observations, first_load_id, last_load_id, seen_load_id)
       SELECT $1, 'R' || g, 'v' || g, '[]', 'load-1', 'load-1', 'load-1' FROM generate_series(0, $2 - 1) g`,
      [FEED, HELD],
    );
    await dataSource.query(`ANALYZE source_record`);
    store = new RecordStore(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('looks up a batch\'s held versions by the primary key, one probe per id', async () => {
    const plan = await planOf(dataSource, HELD_VERSIONS_SQL, [FEED, batch]);
    expect(plan).toEqual(expect.arrayContaining(['Index Scan']));
    expect(plan.filter((node) => node !== 'Index Scan' && node !== 'Nested Loop')).toEqual([]);

    const held = await store.held(FEED, [...batch, 'R7', 'missing']);
    expect(held.size).toBe(batch.length);
    expect(held.get('R7')).toEqual({ version: 'v7', observations: [], withdrawn: false, revision: 1 });
    expect(held.has('missing')).toBe(false);
  });

  it('marks a batch seen and withdrawn by the primary key, each record once', async () => {
    for (const sql of [MARK_SEEN_SQL, MARK_WITHDRAWN_SQL]) {
      const plan = await planOf(dataSource, sql, [FEED, batch, 'load-2'], true);
      expect(plan).toEqual(expect.arrayContaining(['Index Scan']));
      expect(plan.filter((node) => node !== 'Index Scan' && node !== 'Nested Loop')).toEqual([]);
    }

    await store.markWithdrawn(FEED, ['R1', 'R2', 'R1', 'missing'], 'load-2');
    const rows = (await dataSource.query(
      `SELECT source_record_id, withdrawn, revision, last_load_id FROM source_record WHERE feed = $1 AND source_record_id IN ('R1', 'R2', 'R3') ORDER BY source_record_id`,
      [FEED],
    )) as { source_record_id: string; withdrawn: boolean; revision: number; last_load_id: string }[];
    expect(rows).toEqual([
      { source_record_id: 'R1', withdrawn: true, revision: 2, last_load_id: 'load-2' },
      { source_record_id: 'R2', withdrawn: true, revision: 2, last_load_id: 'load-2' },
      { source_record_id: 'R3', withdrawn: false, revision: 1, last_load_id: 'load-1' },
    ]);
    // withdrawing again changes nothing
    await store.markWithdrawn(FEED, ['R1'], 'load-3');
    const [again] = (await dataSource.query(`SELECT revision, last_load_id FROM source_record WHERE feed = $1 AND source_record_id = 'R1'`, [FEED])) as { revision: number; last_load_id: string }[];
    expect(again).toEqual({ revision: 2, last_load_id: 'load-2' });
  });
});
