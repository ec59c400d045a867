import { join } from 'node:path';
import { decode } from '@hub/contracts';
import { DEFAULT_SURVIVORSHIP_POLICY, goldenRecord } from '../golden-record/domain';
import type { MasterEvent } from '../matching/domain';
import { person, TEST_NAMES, testModel } from '../matching/domain/test-fixtures';
import { inlineMasterWriter, MasterWriterThread } from './master-writer';
import { buildMasterWrites, type MasterWriteJob, takeMasterWriteJob } from './master-writes';
import { ResolverProjection } from './projection';
import type { LogEntry } from './resolution.repository';

const settings = { modelVersion: 'model-1', topicPrefix: 'test.', now: 1_700_000_000_000, splitReason: 'RECORD_CORRECTED' as const };

function observed(feed: string, id: string, sketch: Parameters<typeof person>[0], occurredAt = 1_000): LogEntry {
  return { kind: 'observed', key: `${feed}/${id}`, eventId: `${feed}-${id}`, sourceSystem: feed, sourceRecordId: id, sourceVersion: '1', occurredAt, person: person(sketch) };
}

const ROBERT = { given: 'Robert', family: 'Smith', dob: '1980-02-03', postcode: 'L1 1AA', ids: [['NHS', '9434765919']] as Array<['NHS', string]> };
const ALICE = { given: 'Alice', family: 'Jones', dob: '1991-07-08', postcode: 'L2 2BB' };

/** Two people, then a reviewer's must-link that merges them: every kind of row a change writes. */
function scenario(): { projection: ResolverProjection; events: MasterEvent[] } {
  const projection = new ResolverProjection(testModel(), TEST_NAMES);
  const events = [
    ...projection.apply(observed('school-census', '1', ROBERT, 2_000)),
    ...projection.apply(observed('police', '7', { ...ROBERT, given: 'Bob' }, 3_000)),
    ...projection.apply(observed('gp-registrations', '3', ALICE)),
  ];
  return { projection, events };
}

const decoded = (payload: string) => decode(Buffer.from(payload, 'latin1'));

describe('master writes', () => {
  it('writes the row and the events of every master the events name, with golden records from their held records', () => {
    const { projection, events } = scenario();
    const writes = buildMasterWrites(takeMasterWriteJob(events, projection.resolver, projection.members, settings), DEFAULT_SURVIVORSHIP_POLICY);
    const masters = projection.resolver.snapshot();
    const robert = masters.find((m) => m.records.includes('school-census/1'))!;
    expect(robert.records).toEqual(['school-census/1', 'police/7']);

    const rows = JSON.parse(writes.rows!) as Array<{ id: string; status: string; records: string[]; golden: unknown; survivor_id: unknown }>;
    expect(rows.map((row) => row.id).sort()).toEqual(masters.map((m) => m.masterId).sort());
    const robertRow = rows.find((row) => row.id === robert.masterId)!;
    const expectedGolden = goldenRecord(robert.records.map((key) => projection.members.get(key)!), DEFAULT_SURVIVORSHIP_POLICY);
    expect(robertRow).toMatchObject({ status: 'active', records: robert.records, survivor_id: null });
    expect(robertRow.golden).toEqual(JSON.parse(JSON.stringify(expectedGolden)));

    expect(writes.messages.map((m) => m.eventType)).toEqual(events.map((e) => (e.type === 'created' ? 'MasterPersonCreated' : 'MasterPersonUpdated')));
    const last = writes.messages.find((m) => m.key === robert.masterId && m.eventType === 'MasterPersonUpdated')!;
    expect(last.topic).toBe('test.hub.mdm.master-persons.v1');
    const event = decoded(last.payload).value as { version: number; sourceRecords: unknown[]; golden: { person: { name: { familyName: string } } } };
    expect(event.version).toBe(projection.resolver.version(robert.masterId));
    expect(event.sourceRecords).toEqual([{ sourceSystem: 'school-census', sourceRecordId: '1' }, { sourceSystem: 'police', sourceRecordId: '7' }]);
    expect(event.golden.person.name.familyName).toBe('Smith');
  });

  it('describes the masters as they were when the job was taken, whatever the resolver does next', () => {
    const { projection, events } = scenario();
    const job = takeMasterWriteJob(events, projection.resolver, projection.members, settings);
    const before = buildMasterWrites(job, DEFAULT_SURVIVORSHIP_POLICY);
    // the next chunk's work: Bob's record withdrawn, Alice's corrected
    projection.apply({ kind: 'withdrawn', key: 'police/7', eventId: 'w', sourceSystem: 'police', sourceRecordId: '7', sourceVersion: '2', occurredAt: 4_000, person: null });
    projection.apply(observed('gp-registrations', '3', { ...ALICE, family: 'Brown' }, 5_000));
    expect(buildMasterWrites(job, DEFAULT_SURVIVORSHIP_POLICY)).toEqual(before);
    const rows = JSON.parse(before.rows!) as Array<{ records: string[] }>;
    expect(rows.some((row) => row.records.includes('police/7'))).toBe(true);
  });

  it('writes a merge as the survivor\'s row and an alias row, and a retired master with no records', () => {
    const { projection } = scenario();
    const merge = projection.apply({ kind: 'must-link', a: 'school-census/1', b: 'gp-registrations/3', decidedBy: 'reviewer', note: null, decidedAt: 6_000 });
    const merged = merge.find((e): e is Extract<MasterEvent, { type: 'merged' }> => e.type === 'merged')!;
    expect(merged).toBeDefined();
    const mergeWrites = buildMasterWrites(takeMasterWriteJob(merge, projection.resolver, projection.members, settings), DEFAULT_SURVIVORSHIP_POLICY);
    const rows = JSON.parse(mergeWrites.rows!) as Array<{ id: string; status: string; survivor_id: string | null; records: string[]; golden: unknown }>;
    expect(rows.find((row) => row.id === merged.masterId)).toMatchObject({ status: 'active', survivor_id: null, records: projection.resolver.recordsOf(merged.masterId) });
    expect(rows.find((row) => row.id === merged.mergedIds[0])).toMatchObject({ status: 'alias', survivor_id: merged.masterId, records: [], golden: null });
    expect(mergeWrites.messages.map((m) => m.eventType)).toEqual(['MasterPersonMerged']);
    const withdrawals = ['school-census/1', 'police/7', 'gp-registrations/3'].flatMap((key) => {
      const [sourceSystem, sourceRecordId] = key.split('/') as [string, string];
      return projection.apply({ kind: 'withdrawn', key, eventId: `w-${key}`, sourceSystem, sourceRecordId, sourceVersion: '9', occurredAt: 7_000, person: null });
    });
    const retired = buildMasterWrites(takeMasterWriteJob(withdrawals, projection.resolver, projection.members, settings), DEFAULT_SURVIVORSHIP_POLICY);
    const retiredRows = JSON.parse(retired.rows!) as Array<{ id: string; status: string; golden: unknown }>;
    expect(retiredRows.find((row) => row.id === merged.masterId)).toMatchObject({ status: 'retired', golden: null });
    const update = retired.messages.map((m) => decoded(m.payload).value as { sourceRecords: unknown[] });
    expect(update.at(-1)!.sourceRecords).toEqual([]);
  });

  it('gives the same writes on its own thread as on the calling one, in the order asked, and reports a job it cannot build', async () => {
    const { projection, events } = scenario();
    const jobs: MasterWriteJob[] = events.map((event) => takeMasterWriteJob([event], projection.resolver, projection.members, settings));
    const thread = new MasterWriterThread(DEFAULT_SURVIVORSHIP_POLICY, join(__dirname, 'master-writer.worker.ts'));
    const inline = inlineMasterWriter(DEFAULT_SURVIVORSHIP_POLICY);
    try {
      const [fromThread, onCaller] = await Promise.all([Promise.all(jobs.map((job) => thread.write(job))), Promise.all(jobs.map((job) => inline.write(job)))]);
      expect(fromThread).toEqual(onCaller);
      // an event naming a master the job does not hold cannot be built: the job fails, the thread lives on
      const broken: MasterWriteJob = { ...jobs[0]!, masters: [] };
      await expect(thread.write(broken)).rejects.toThrow(/master writer: master .* is not in the write job/);
      await expect(thread.write(jobs[1]!)).resolves.toEqual(onCaller[1]);
    } finally {
      await thread.close();
    }
  });

  it('builds on the calling thread, with the same result, when its thread cannot start', async () => {
    const { projection, events } = scenario();
    const jobs: MasterWriteJob[] = events.map((event) => takeMasterWriteJob([event], projection.resolver, projection.members, settings));
    const onCaller = await Promise.all(jobs.map((job) => inlineMasterWriter(DEFAULT_SURVIVORSHIP_POLICY).write(job)));
    // a script that is not there (the thread fails before it runs), and a flag threads refuse (it cannot be made)
    const cannotStart = [
      (told: Error[]) => new MasterWriterThread(DEFAULT_SURVIVORSHIP_POLICY, join(__dirname, 'no-such-worker.js'), (error) => told.push(error)),
      (told: Error[]) => new MasterWriterThread(DEFAULT_SURVIVORSHIP_POLICY, join(__dirname, 'master-writer.worker.ts'), (error) => told.push(error), { execArgv: ['--no-memory-reducer'] }),
    ];
    for (const make of cannotStart) {
      const told: Error[] = [];
      const writer = make(told);
      try {
        expect(await Promise.all(jobs.map((job) => writer.write(job)))).toEqual(onCaller);
        expect(await writer.write(jobs[0]!)).toEqual(onCaller[0]);
        expect(told).toHaveLength(1);
      } finally {
        await writer.close();
      }
    }
  });
});

describe('observations prepared ahead (features and held details)', () => {
  it('resolve and are held exactly as what apply makes itself', () => {
    const entries = [observed('school-census', '1', ROBERT, 2_000), observed('police', '7', { ...ROBERT, given: 'Bob' }, 3_000), observed('gp-registrations', '3', ALICE)];
    const plain = new ResolverProjection(testModel(), TEST_NAMES);
    const ahead = new ResolverProjection(testModel(), TEST_NAMES);
    // made by another projection, as the service makes them before the transaction that applies them
    const prepared = entries.map((entry) => new ResolverProjection(testModel(), TEST_NAMES).prepare(entry as Extract<LogEntry, { kind: 'observed' }>));
    const plainEvents = entries.flatMap((entry) => plain.apply(entry));
    const aheadEvents = entries.flatMap((entry, i) => ahead.apply(entry, undefined, prepared[i]));
    expect(aheadEvents).toEqual(plainEvents);
    expect(ahead.resolver.snapshot()).toEqual(plain.resolver.snapshot());
    expect(ahead.lastEdges).toEqual(plain.lastEdges);
    expect([...ahead.members.keys()]).toEqual([...plain.members.keys()]);
    for (const key of plain.members.keys()) {
      expect(ahead.members.text(key)).toBe(plain.members.text(key));
      expect(ahead.members.get(key)).toEqual(plain.members.get(key));
    }
  });

  it('are held as what was prepared, not made again', () => {
    const entry = observed('school-census', '1', ROBERT, 2_000) as Extract<LogEntry, { kind: 'observed' }>;
    const projection = new ResolverProjection(testModel(), TEST_NAMES);
    const prepared = projection.prepare(entry);
    // a text that differs from what apply would make shows which one is held
    projection.apply(entry, undefined, { ...prepared, held: `${prepared.held} ` });
    expect(projection.members.text(entry.key)).toBe(`${prepared.held} `);
  });
});
