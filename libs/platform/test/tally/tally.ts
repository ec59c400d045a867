import { Type } from 'avsc';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { appendToOutbox, keepUnprocessed, type ConsumedMessage, PermanentError } from '../../src';

/**
 * A small stateful consumer used to prove the platform's guarantees: it keeps a running
 * total per account, and every change emits a TallyChanged event through the outbox.
 * Test-only contracts, in Avro like the real ones.
 */
export const amountAdded = Type.forSchema({
  type: 'record', name: 'AmountAdded', namespace: 'test.tally',
  fields: [{ name: 'eventId', type: 'string' }, { name: 'account', type: 'string' }, { name: 'amount', type: 'int' }],
});
export const tallyChanged = Type.forSchema({
  type: 'record', name: 'TallyChanged', namespace: 'test.tally',
  fields: [{ name: 'eventId', type: 'string' }, { name: 'account', type: 'string' }, { name: 'total', type: 'long' }, { name: 'version', type: 'int' }],
});

export interface AmountAdded { eventId: string; account: string; amount: number }
export interface TallyChanged { eventId: string; account: string; total: number; version: number }

export class TallyTable1764133300000 implements MigrationInterface {
  name = 'TallyTable1764133300000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE tally (account text PRIMARY KEY, total bigint NOT NULL, version int NOT NULL)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE tally`);
  }
}

/** Applies a batch in one transaction: the inbox, the state and the outbox commit together. */
export async function applyBatch(dataSource: DataSource, messages: ConsumedMessage[], outputTopic: string): Promise<void> {
  const events = messages.map((message) => {
    try {
      return amountAdded.fromBuffer(message.value!) as AmountAdded;
    } catch {
      throw new PermanentError('TEST.UNDECODABLE', 'value is not an AmountAdded');
    }
  });
  await dataSource.transaction(async (manager) => {
    const toApply = await keepUnprocessed(manager, 'tally', events, (event) => event.eventId);
    if (toApply.length === 0) return;
    const accounts = [...new Set(toApply.map((event) => event.account))].sort();
    const rows: { account: string; total: string; version: number }[] = await manager.query(
      `SELECT account, total, version FROM tally WHERE account = ANY($1) ORDER BY account FOR UPDATE`,
      [accounts],
    );
    const state = new Map(rows.map((row) => [row.account, { total: Number(row.total), version: row.version }]));
    const outgoing: TallyChanged[] = [];
    for (const event of toApply) {
      const current = state.get(event.account) ?? { total: 0, version: 0 };
      const next = { total: current.total + event.amount, version: current.version + 1 };
      state.set(event.account, next);
      outgoing.push({ eventId: `${event.account}:${next.version}`, account: event.account, ...next });
    }
    for (const account of accounts) {
      const { total, version } = state.get(account)!;
      await manager.query(
        `INSERT INTO tally (account, total, version) VALUES ($1, $2, $3)
         ON CONFLICT (account) DO UPDATE SET total = EXCLUDED.total, version = EXCLUDED.version WHERE tally.version < EXCLUDED.version`,
        [account, total, version],
      );
    }
    await appendToOutbox(
      manager,
      outgoing.map((change) => ({
        topic: outputTopic,
        key: change.account,
        aggregateType: 'tally',
        eventType: 'TallyChanged',
        eventId: change.eventId,
        payload: tallyChanged.toBuffer(change),
      })),
    );
  });
}

/** An account's running total, or undefined before its first amount. */
export async function tallyTotal(dataSource: DataSource, account: string): Promise<number | undefined> {
  return ((await dataSource.query(`SELECT total::int AS total FROM tally WHERE account = $1`, [account])) as { total: number }[])[0]?.total;
}
