import { blockingKeys, CandidateIndex } from './blocking';
import { seededRandom } from './random';
import { rec } from './test-fixtures';

describe('blockingKeys', () => {
  it('gives transposed dates of birth and swapped names a shared key', () => {
    const a = new Set(blockingKeys(rec('a', { given: 'anna', family: 'khan', dob: '1980-03-04' })));
    expect(blockingKeys(rec('b', { dob: '1980-04-03' })).some((k) => a.has(k))).toBe(true);
    expect(blockingKeys(rec('c', { given: 'khan', family: 'anna' })).some((k) => a.has(k))).toBe(true);
  });

  it('has a key per identifier value', () => {
    expect(blockingKeys(rec('a', { ids: [['NHS', '9434765919'], ['NI', 'AB123456C']] }))).toEqual(
      expect.arrayContaining(['id:NHS:9434765919', 'id:NI:AB123456C']),
    );
  });

  it('gives a record with nothing to compare no keys', () => {
    expect(blockingKeys(rec('a', {}))).toEqual([]);
  });
});

describe(CandidateIndex.name, () => {
  it('finds records that share a key, most shared keys first, then oldest', () => {
    const sut = new CandidateIndex({ maxBlockSize: 10 });
    sut.add(rec('old', { given: 'anna', family: 'khan', dob: '1980-03-04' }));
    sut.add(rec('same', { given: 'anna', family: 'khan', dob: '1980-03-04', postcode: 'L1 1AA' }));
    sut.add(rec('other', { given: 'zed', family: 'young', dob: '1990-01-01' }));
    const found = sut.candidates(rec('new', { given: 'anna', family: 'khan', dob: '1980-03-04', postcode: 'L1 1AA' }), 10).map((r) => r.id);
    expect(found).toEqual(['same', 'old']);
    expect(sut.candidates(rec('new', { given: 'anna', family: 'khan', dob: '1980-03-04' }), 1).map((r) => r.id)).toEqual(['old']);
  });

  it('marks a block oversized past the cap and stops using it, so lookups stay bounded', () => {
    const sut = new CandidateIndex({ maxBlockSize: 5 });
    for (let i = 0; i < 50; i++) sut.add(rec(`s${i}`, { family: 'smith', dob: `1980-01-${String(1 + (i % 28)).padStart(2, '0')}` }));
    const probe = rec('p', { family: 'smith', dob: '1980-06-06' });
    // "smith, 1980" now holds 50 records: it is dropped, not scanned.
    expect(sut.candidates(probe, 100)).toEqual([]);
    expect(sut.stats().oversizedBlocks).toBeGreaterThan(0);
    // A more specific key still finds its pair.
    expect(sut.candidates(rec('q', { family: 'smith', dob: '1980-01-03' }), 100).map((r) => r.id)).toContain('s2');
  });

  it('forgets removed records and replaces re-added ones', () => {
    const sut = new CandidateIndex();
    sut.add(rec('a', { email: 'a@x.com' }));
    sut.add(rec('a', { email: 'b@x.com' }));
    expect(sut.size).toBe(1);
    expect(sut.candidates(rec('p', { email: 'a@x.com' }), 10)).toEqual([]);
    expect(sut.remove('a')).toBe(true);
    expect(sut.candidates(rec('p', { email: 'b@x.com' }), 10)).toEqual([]);
    expect(sut.remove('a')).toBe(false);
  });

  it('caps the candidates returned', () => {
    const sut = new CandidateIndex({ maxBlockSize: 1000 });
    for (let i = 0; i < 200; i++) sut.add(rec(`r${i}`, { email: 'shared@x.com' }));
    expect(sut.candidates(rec('p', { email: 'shared@x.com' }), 50)).toHaveLength(50);
  });

  it('chooses the same candidates in the same order as sorting every record that shares a key, after removals and replacements', () => {
    const random = seededRandom(11);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const given = ['anna', 'ann', 'john', 'jon', 'mary'];
    const family = ['khan', 'kahn', 'smith', 'smyth'];
    const dob = ['1980-03-04', '1980-04-03', '1981-03-04', '1990-01-01'];
    // many postcodes, so that many blocks hold one or two records
    const postcode = Array.from({ length: 60 }, (_, i) => `L${1 + (i % 20)} ${1 + Math.floor(i / 20)}AA`);
    const sut = new CandidateIndex({ maxBlockSize: 10_000 });
    let added: ReturnType<typeof rec>[] = [];
    const newRecord = (id: string) => rec(id, { given: pick(given), family: pick(family), dob: pick(dob), ...(random() < 0.5 ? { postcode: pick(postcode) } : {}) });
    for (let i = 0; i < 600; i++) {
      const r = newRecord(`r${i}`);
      sut.add(r);
      added.push(r);
    }
    // removals and replacements (a replaced record counts as the newest)
    for (let i = 0; i < 150; i++) {
      const id = `r${Math.floor(random() * 600)}`;
      added = added.filter((r) => r.id !== id);
      if (random() < 0.5) {
        sut.remove(id);
      } else {
        const r = newRecord(id);
        sut.add(r);
        added.push(r);
      }
    }
    expect(sut.size).toBe(added.length);
    for (let probe = 0; probe < 40; probe++) {
      const query = newRecord(`q${probe}`);
      const mine = new Set(blockingKeys(query));
      const expected = added
        .map((r, seq) => ({ id: r.id, seq, shared: new Set(blockingKeys(r).filter((k) => mine.has(k))).size }))
        .filter((x) => x.shared > 0)
        .sort((x, y) => y.shared - x.shared || x.seq - y.seq)
        .map((x) => x.id);
      for (const limit of [1, 7, 50, 400]) expect(sut.candidates(query, limit).map((r) => r.id)).toEqual(expected.slice(0, limit));
    }
  });

  it('keeps every count when one lookup visits more records than its scratch table first holds', () => {
    // 1,200 records alike but for two ways of sharing two more keys with the query: the first
    // 300 by two identifiers (the query's first keys), the rest by a postcode (its last). All
    // share as many keys, so the oldest come first. The table grows (at 512 and 1,024 entries)
    // while the date of birth's block is counted, after the first 300 have been counted thrice.
    const sut = new CandidateIndex({ maxBlockSize: 10_000 });
    const alike = { given: 'anna', family: 'smith', dob: '1980-03-04' };
    const records = Array.from({ length: 1200 }, (_, i) =>
      rec(`r${i}`, i < 300 ? { ...alike, ids: [['LOCAL', 'A1'], ['NHS', '9434765919']] } : { ...alike, postcode: 'L17 8XY' }),
    );
    for (const r of records) sut.add(r);
    const query = rec('q', { ...alike, ids: [['LOCAL', 'A1'], ['NHS', '9434765919']], postcode: 'L17 8XY' });
    const mine = new Set(blockingKeys(query));
    const shared = (r: (typeof records)[number]) => new Set(blockingKeys(r).filter((k) => mine.has(k))).size;
    expect(shared(records[0]!)).toBe(shared(records[300]!));
    expect(sut.candidates(query, 2000).map((r) => r.id)).toEqual(records.map((r) => r.id));
  });
});
