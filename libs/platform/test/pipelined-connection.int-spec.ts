import { createTestDatabase } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src';

type RawClient = { pipeline: boolean; query(sql: string, parameters?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }> };

// mdm sends a transaction's statements without awaiting each (its data source is pipelined):
// they must keep the meaning they have one at a time — in order, the first failure reported,
// nothing after it applied, and the whole transaction rolled back.
describe('a pipelined database connection', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openDatabase({ url: await createTestDatabase('pipelined_connection'), migrations: [], poolSize: 2, pipeline: true });
    await dataSource.query(`CREATE TABLE item (id int PRIMARY KEY)`);
  });
  afterAll(() => dataSource?.destroy());

  it('sends statements at once, answers each in order, and stops applying them at the first failure', async () => {
    const outcomes = await dataSource
      .transaction(async (manager) => {
        const client = (await manager.queryRunner!.connect()) as RawClient;
        expect(client.pipeline).toBe(true);
        const sent = [
          client.query(`INSERT INTO item (id) VALUES (1), (2)`),
          client.query(`INSERT INTO item (id) VALUES ($1)`, [3]),
          client.query(`INSERT INTO item (id) VALUES ($1)`, [1]),
          client.query(`INSERT INTO item (id) VALUES (4)`),
        ];
        const settled = await Promise.allSettled(sent);
        const codes = settled.map((s) => (s.status === 'fulfilled' ? 'ok' : (s.reason as { code?: string }).code));
        throw Object.assign(new Error('rolled back on purpose'), { codes });
      })
      .catch((error: { codes?: string[] }) => error.codes);
    // unique violation, then "current transaction is aborted" for what was sent after it
    expect(outcomes).toEqual(['ok', 'ok', '23505', '25P02']);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM item`)).toEqual([{ n: 0 }]);

    await dataSource.transaction(async (manager) => {
      const client = (await manager.queryRunner!.connect()) as RawClient;
      await Promise.all([5, 6, 7].map((id) => client.query(`INSERT INTO item (id) VALUES ($1)`, [id])));
    });
    expect(await dataSource.query(`SELECT id FROM item ORDER BY id`)).toEqual([{ id: 5 }, { id: 6 }, { id: 7 }]);
  });
});
