import { createTestDatabase, planReads } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { ERASE_PERSONS_SQL, LOCK_PERSONS_SQL, PersonRepository, probeByKey } from '../src/persons/person.repository';
import { openPortalDatabase } from './portal-harness';

const HELD = 30_000;

/**
 * The read model's consumer locks and erases a batch of masters by id: that must cost the same
 * among thirty thousand masters as among none, so the rows are found through the primary key,
 * never by reading the table.
 */
describe('portal-api\'s person table on PostgreSQL, holding many masters', () => {
  let dataSource: DataSource;
  const batch = Array.from({ length: 2000 }, (_, i) => `M${i * 7}`);

  beforeAll(async () => {
    dataSource = await openPortalDatabase(await createTestDatabase('portal_person_repository'));
    // statistics taken while the table was empty, as when a new installation starts filling it
    await dataSource.query(`ANALYZE person`);
    await dataSource.query(`INSERT INTO person (id, version, status) SELECT 'M' || g, 1, 'active' FROM generate_series(0, $1 - 1) g`, [HELD]);
  });
  afterAll(() => dataSource.destroy());

  it('locks and erases a batch of masters through the primary key', async () => {
    for (const sql of [LOCK_PERSONS_SQL, ERASE_PERSONS_SQL]) {
      const plan = await dataSource.transaction(async (manager) => {
        await probeByKey(manager);
        return planReads(manager, sql, [batch], 'person');
      });
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.filter((node) => !['Index Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan'].includes(node))).toEqual([]);
    }
  });

  it('gives back the locked masters and erases only those asked for', async () => {
    const repository = new PersonRepository(dataSource, 0.3);
    await dataSource.transaction(async (manager) => {
      const held = await repository.lock(manager, ['M7', 'M14', 'M7', 'nobody']);
      expect([...held.keys()].sort()).toEqual(['M14', 'M7']);
      await repository.save(manager, new Map([['M7', null]]));
    });
    const [{ count }] = (await dataSource.query(`SELECT count(*)::int AS count FROM person`)) as { count: number }[];
    expect(count).toBe(HELD - 1);
    expect(await repository.find('M7')).toBeUndefined();
    expect((await repository.find('M14'))?.version).toBe(1);
  });
});
