import { CONTRACT_EXAMPLES, deterministicEventId, encode, type PersonDetailsInput, sourceRecordKey } from '@hub/contracts';
import { createLogger, DetachedMessage, openDatabase, OutboxParkedTable1764150000000, PlatformTables1764133200000 } from '@hub/platform';
import { createTestDatabase } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { MdmLogEntries1764160000000 } from '../src/database/mdm-log-entries.migration';
import { MdmTables1764150000000 } from '../src/database/mdm-tables.migration';
import { TEST_NAMES, testModel } from '../src/matching/domain/test-fixtures';
import { loadMdmPolicy } from '../src/policy/mdm-policy';
import { inlineMasterWriter, type MasterWriter } from '../src/resolution/master-writer';
import type { MasterWrites } from '../src/resolution/master-writes';
import { ResolutionService } from '../src/resolution/resolution.service';

// A change hands each resolved chunk's masters to the master writer (a thread in the service)
// and goes on resolving; the writer's rows and events are sent on the transaction's connection
// when they come back. If resolving fails first, the transaction rolls back and its connection
// goes back to the pool while jobs are still out: what they bring back afterwards must never
// be sent, or it would be written outside any transaction, for a change that did not happen.

const OBSERVATIONS = 300; // more than one chunk of 200: the first chunk's job is out when the second fails
const FAIL_AT = 250;

function personOf(i: number): PersonDetailsInput {
  const syllables = ['bra', 'cor', 'dun', 'fel', 'gar', 'hol', 'ket', 'lum', 'mor', 'nev'];
  const [a, b, c] = [syllables[i % 10]!, syllables[Math.floor(i / 10) % 10]!, syllables[Math.floor(i / 100) % 10]!];
  return {
    name: { givenNames: [`${a}${b}${c}a`], familyName: `${c}${b}${a}wick`, fullName: null, title: null },
    otherNames: [],
    dateOfBirth: `${1920 + (i % 80)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    sex: i % 2 ? 'FEMALE' : 'MALE',
    addresses: [{ lines: [`${i} Test Street`], locality: `${a}ton`, postcode: `L${1 + (i % 25)} ${i % 10}QT`, uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null }],
    emails: [],
    phones: [],
    identifiers: [],
  };
}

function observations(): DetachedMessage[] {
  const example = CONTRACT_EXAMPLES.PersonObserved;
  return Array.from({ length: OBSERVATIONS }, (_, i) => {
    const envelope = { ...example.envelope, sourceSystem: 'police', sourceRecordId: `R${i}`, sourceVersion: '1', feed: 'police', eventId: deterministicEventId(['failed-change', String(i)]) };
    const value = encode('PersonObserved', { ...example, envelope, person: personOf(i), qualityFlags: [] });
    return new DetachedMessage('observations', 0, String(i), Buffer.from(sourceRecordKey(envelope)), value, {}, '0');
  });
}

/** The inline writer, except that each job's result is handed back only when the test says so. */
class HeldWriter implements MasterWriter {
  private readonly inline = inlineMasterWriter(loadMdmPolicy().survivorship);
  readonly held: Array<() => void> = [];
  holding = true;

  write(job: Parameters<MasterWriter['write']>[0]): Promise<MasterWrites> {
    const writes = this.inline.write(job);
    if (!this.holding) return writes;
    return new Promise((resolve) => this.held.push(() => resolve(writes)));
  }

  async close(): Promise<void> {}
}

describe('a change that fails while the master writer still has its jobs', () => {
  let db: DataSource;

  afterAll(() => db?.destroy());

  it('sends nothing that the jobs bring back after the transaction rolled back, and the retry writes every master once', async () => {
    // one connection, pipelined as in the service: a statement sent late on the released
    // connection would run, outside any transaction, before the counts below, which are sent after it
    db = await openDatabase({
      url: await createTestDatabase('mdm_failed_change'),
      schema: 'mdm',
      migrations: [PlatformTables1764133200000, MdmTables1764150000000, MdmLogEntries1764160000000, OutboxParkedTable1764150000000],
      poolSize: 1,
      pipeline: true,
    });
    const writer = new HeldWriter();
    let resolved = 0;
    let failing = true;
    const observer = {
      candidates: () => {
        if (failing && ++resolved === FAIL_AT) throw new Error('resolving failed in the second chunk');
      },
    };
    const service = new ResolutionService(db, createLogger('mdm-test', 'silent'), TEST_NAMES, 'test.', testModel(), loadMdmPolicy(), observer, writer);
    await service.start();
    const counts = async () => {
      const [row] = (await db.query(
        `SELECT (SELECT count(*) FROM master)::int AS masters, (SELECT count(*) FROM outbox)::int AS outbox,
                (SELECT count(*) FROM observation_log WHERE kind = 'observed')::int AS logged, (SELECT count(*) FROM processed_event)::int AS processed`,
      )) as Array<{ masters: number; outbox: number; logged: number; processed: number }>;
      return row!;
    };

    await expect(service.handle(observations())).rejects.toThrow('resolving failed in the second chunk');
    // the first chunk's job was out when resolving failed, and has not come back yet
    expect(writer.held.length).toBeGreaterThanOrEqual(1);
    expect(resolved).toBe(FAIL_AT);
    for (const release of writer.held.splice(0)) release();
    // every continuation of the released jobs runs before the next turn of the event loop
    await new Promise((resolve) => setImmediate(resolve));
    expect(await counts()).toEqual({ masters: 0, outbox: 0, logged: 0, processed: 0 });

    // the projection was rebuilt from the log: the same observations, tried again, make their masters once
    failing = false;
    writer.holding = false;
    await service.handle(observations());
    const after = await counts();
    expect(after.logged).toBe(OBSERVATIONS);
    expect(after.processed).toBe(OBSERVATIONS);
    const snapshot = service.snapshot();
    expect(snapshot.flatMap((m) => m.records).sort()).toEqual(Array.from({ length: OBSERVATIONS }, (_, i) => `police/R${i}`).sort());
    expect(after.masters).toBe(snapshot.length);
    expect(after.outbox).toBeGreaterThanOrEqual(snapshot.length);
  });
});
