import type { MasterPersonCreated, MasterPersonSplit, PersonDetails } from '@hub/contracts';
import { applyEvent, changesOf, type MasterPersonEvent, type PersonState } from './read-model';

const person = (family: string): PersonDetails => ({
  name: { givenNames: ['Ada'], familyName: family, fullName: null, title: null }, otherNames: [], dateOfBirth: '1980-03-02', sex: null, addresses: [], emails: [], phones: [], identifiers: [],
});
const envelope = { eventId: 'e', sourceSystem: 'hub.mdm', sourceRecordId: 'm', sourceVersion: '1', occurredAt: 0, receivedAt: 0, dataSharingAgreement: 'D', lawfulBasis: 'L', sensitivity: 'SPECIAL_CATEGORY' as const, feed: null };
const ref = (id: string) => ({ sourceSystem: 'src', sourceRecordId: id });
const state = (id: string, version: number, records: string[], aliases: string[] = [], family = 'Oak') => ({
  masterPersonId: id, version, golden: { person: person(family), provenance: [{ field: 'name', source: ref(records[0] ?? 'x'), rule: 'trust' }] }, sourceRecords: records.map(ref), aliases, modelVersion: 'v1',
});
const created = (id: string, version: number, records: string[], family?: string): MasterPersonEvent => ({ name: 'MasterPersonCreated', value: { envelope, ...state(id, version, records, [], family) } as MasterPersonCreated });
const updated = (id: string, version: number, records: string[], family?: string): MasterPersonEvent => ({ name: 'MasterPersonUpdated', value: { envelope, ...state(id, version, records, [], family), changedFields: [] } });
const merged = (id: string, version: number, records: string[], mergedIds: string[]): MasterPersonEvent => ({
  name: 'MasterPersonMerged', value: { envelope, ...state(id, version, records, mergedIds), mergedIds, reason: 'MATCHED', matchWeight: 12 },
});
const split = (id: string, version: number, parts: MasterPersonSplit['parts']): MasterPersonEvent => ({ name: 'MasterPersonSplit', value: { envelope, masterPersonId: id, version, parts, reason: 'RECORD_WITHDRAWN', modelVersion: 'v1' } });

/** Given held masters, when events arrive in this order, the masters after them. */
function given(...events: MasterPersonEvent[]): Map<string, PersonState> {
  const held = new Map<string, PersonState>();
  for (const event of events) {
    for (const [id, next] of applyEvent(held, changesOf(event))) {
      if (next) held.set(id, next);
      else held.delete(id);
    }
  }
  return held;
}

describe('read model of master persons', () => {
  it('creates an active master with its golden record, provenance and records', () => {
    const m = given(created('m-1', 1, ['r1'])).get('m-1')!;
    expect(m).toMatchObject({ status: 'active', version: 1, survivorId: null, sourceRecords: [ref('r1')], golden: { name: { familyName: 'Oak' } } });
    expect(m.provenance).toHaveLength(1);
  });

  it('applies a newer version and ignores an older or equal one (redelivery, reordering)', () => {
    expect(given(created('m-1', 1, ['r1']), updated('m-1', 3, ['r1', 'r2'], 'Elm'), updated('m-1', 2, ['r1'], 'Ash')).get('m-1')).toMatchObject({ version: 3, golden: { name: { familyName: 'Elm' } } });
    expect(given(updated('m-1', 2, ['r1'], 'Ash'), created('m-1', 1, ['r1'], 'Oak')).get('m-1')).toMatchObject({ version: 2, golden: { name: { familyName: 'Ash' } } });
    expect(applyEvent(given(created('m-1', 1, ['r1'])), changesOf(created('m-1', 1, ['r1'])))).toEqual(new Map());
  });

  it('turns merged ids into aliases of the survivor', () => {
    const held = given(created('m-1', 1, ['r1']), created('m-2', 1, ['r2']), merged('m-1', 2, ['r1', 'r2'], ['m-2']));
    expect(held.get('m-1')).toMatchObject({ status: 'active', aliases: ['m-2'], version: 2 });
    expect(held.get('m-2')).toMatchObject({ status: 'alias', survivorId: 'm-1', golden: null, sourceRecords: [], version: 2 });
  });

  it('keeps an alias an alias when its own older events arrive after the merge', () => {
    const held = given(created('m-1', 1, ['r1']), merged('m-1', 2, ['r1', 'r2'], ['m-2']), created('m-2', 1, ['r2']), updated('m-2', 2, ['r2']));
    expect(held.get('m-2')).toMatchObject({ status: 'alias', survivorId: 'm-1' });
  });

  it('ignores a stale merge entirely, its aliases included', () => {
    const held = given(created('m-1', 1, ['r1']), created('m-2', 1, ['r2']), updated('m-1', 5, ['r1']), merged('m-1', 2, ['r1', 'r2'], ['m-2']));
    expect(held.get('m-2')).toMatchObject({ status: 'active' });
    expect(held.get('m-1')).toMatchObject({ version: 5, aliases: [] });
  });

  it('revives an alias as a split part with its own state', () => {
    const held = given(
      created('m-1', 1, ['r1']), created('m-2', 1, ['r2']), merged('m-1', 2, ['r1', 'r2'], ['m-2']),
      split('m-1', 3, [{ revived: false, ...state('m-1', 3, ['r1']) }, { revived: true, ...state('m-2', 3, ['r2'], [], 'Birch') }]),
    );
    expect(held.get('m-1')).toMatchObject({ status: 'active', version: 3, sourceRecords: [ref('r1')], aliases: [] });
    expect(held.get('m-2')).toMatchObject({ status: 'active', survivorId: null, version: 3, sourceRecords: [ref('r2')], golden: { name: { familyName: 'Birch' } } });
  });

  it('shrinks the kept master when a split lists only the parts that left', () => {
    const held = given(
      created('m-1', 1, ['r1']), merged('m-1', 2, ['r1', 'r2'], ['m-2']),
      split('m-1', 3, [{ revived: true, ...state('m-2', 3, ['r2']) }]),
    );
    expect(held.get('m-1')).toMatchObject({ status: 'active', version: 3, sourceRecords: [ref('r1')], aliases: [] });
    expect(held.get('m-2')).toMatchObject({ status: 'active', version: 3 });
  });

  it('retires a master whose records were all withdrawn, keeping no personal data', () => {
    expect(given(created('m-1', 1, ['r1']), updated('m-1', 2, [])).get('m-1')).toMatchObject({ status: 'retired', golden: null, provenance: [] });
  });

  it('erases a master on a tombstone', () => {
    const held = given(created('m-1', 1, ['r1']));
    expect(applyEvent(held, [{ kind: 'erased', id: 'm-1' }])).toEqual(new Map([['m-1', null]]));
    expect(applyEvent(new Map(), [{ kind: 'erased', id: 'm-9' }])).toEqual(new Map());
  });
});
