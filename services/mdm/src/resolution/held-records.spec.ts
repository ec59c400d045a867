import { CONTRACT_EXAMPLES, type PersonDetails } from '@hub/contracts';
import { HeldRecords } from './projection';

const example = (CONTRACT_EXAMPLES.PersonObserved as { person: PersonDetails }).person;

describe('HeldRecords', () => {
  it('gives back exactly the details it was given, with their source and time', () => {
    const held = new HeldRecords();
    const person: PersonDetails = { ...example, name: { ...example.name, givenNames: ['Zoë', '李'], familyName: "O'Brien 😀" } };
    held.set('gp/1', { source: { sourceSystem: 'gp', sourceRecordId: '1' }, person, occurredAt: 1_700_000_000_123 });
    expect(held.get('gp/1')).toEqual({ source: { sourceSystem: 'gp', sourceRecordId: '1' }, person, occurredAt: 1_700_000_000_123 });
    expect(held.source('gp/1')).toEqual({ sourceSystem: 'gp', sourceRecordId: '1' });
    expect(held.size).toBe(1);
  });

  it('keeps details the Avro form cannot hold as JSON, unchanged', () => {
    const held = new HeldRecords();
    // a source id with a newline and a sex the contract has no symbol for: neither may be lost
    const odd = { ...example, sex: 'NOT_A_SYMBOL' } as unknown as PersonDetails;
    held.set('feed/a\nb', { source: { sourceSystem: 'feed', sourceRecordId: 'a\nb' }, person: odd, occurredAt: 5 });
    expect(held.get('feed/a\nb')).toEqual({ source: { sourceSystem: 'feed', sourceRecordId: 'a\nb' }, person: odd, occurredAt: 5 });
  });

  it('gives back the source and time whether or not the key spells the source', () => {
    const held = new HeldRecords();
    const cases = [
      // the usual key: the source is read off it
      { key: 'gp/1/2', source: { sourceSystem: 'gp', sourceRecordId: '1/2' }, occurredAt: 0 },
      // a source system with a '/' would split the key in the wrong place: kept in full
      { key: 'a/b/1', source: { sourceSystem: 'a/b', sourceRecordId: '1' }, occurredAt: 7 },
      // a key that is not the source, and a time before 1970
      { key: 'other', source: { sourceSystem: 'gp', sourceRecordId: '9' }, occurredAt: -86_400_000 },
    ];
    for (const c of cases) held.set(c.key, { source: c.source, person: example, occurredAt: c.occurredAt });
    for (const c of cases) {
      expect(held.get(c.key)).toEqual({ source: c.source, person: example, occurredAt: c.occurredAt });
      expect(held.source(c.key)).toEqual(c.source);
    }
  });

  it('holds details larger than its working buffer, and each record keeps its own details as others come and go', () => {
    const held = new HeldRecords();
    const small = { ...example, name: { ...example.name, familyName: 'Small' } };
    // 200,000 bytes: more than the 64 KiB the working buffer starts with, so it must grow
    const large = { ...example, name: { ...example.name, familyName: 'L'.repeat(200_000) } };
    held.set('gp/small', { source: { sourceSystem: 'gp', sourceRecordId: 'small' }, person: small, occurredAt: 1 });
    held.set('gp/large', { source: { sourceSystem: 'gp', sourceRecordId: 'large' }, person: large, occurredAt: 2 });
    held.set('gp/after', { source: { sourceSystem: 'gp', sourceRecordId: 'after' }, person: example, occurredAt: 3 });
    expect(held.get('gp/large')?.person).toEqual(large);
    expect(held.get('gp/small')?.person).toEqual(small);
    expect(held.get('gp/after')?.person).toEqual(example);
    expect(held.get('gp/large')?.person.name.familyName).toHaveLength(200_000);
  });

  it('forgets a deleted record and lists the rest', () => {
    const held = new HeldRecords();
    for (const id of ['1', '2', '3']) held.set(`gp/${id}`, { source: { sourceSystem: 'gp', sourceRecordId: id }, person: example, occurredAt: 0 });
    expect(held.delete('gp/2')).toBe(true);
    expect(held.has('gp/2')).toBe(false);
    expect(held.get('gp/2')).toBeUndefined();
    expect([...held.keys()]).toEqual(['gp/1', 'gp/3']);
  });
});
