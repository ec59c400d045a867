import { DEFAULT_FEATURE_LIMITS, toMatchRecord } from './match-record';
import { person, rec } from './test-fixtures';

describe('toMatchRecord', () => {
  it('cleans names, folds accents and derives phonetic codes and nicknames', () => {
    const r = rec('1', { given: ' Róbert ', family: "O'Brien-Smith" });
    expect(r.givenName).toBe('robert');
    expect(r.familyName).toBe('obriensmith');
    expect(r.givenPhonetic.length).toBeGreaterThan(0);
    expect(r.givenEquivalents).toContain('bob');
  });

  it('splits dates of birth and rejects implausible years', () => {
    expect(rec('1', { dob: '1980-02-29' }).dateOfBirth).toEqual({ digits: '19800229', year: 1980, month: 2, day: 29 });
    expect(rec('1', { dob: '1066-10-14' }).dateOfBirth).toBeNull();
    expect(rec('1', { dob: 'yesterday' }).dateOfBirth).toBeNull();
  });

  it('treats placeholders (1 January 1900, the no-fixed-abode postcode) as missing', () => {
    expect(rec('1', { dob: '1900-01-01' }).dateOfBirth).toBeNull();
    expect(rec('1', { dob: '1970-01-01' }).dateOfBirth).not.toBeNull();
    expect(rec('1', { postcode: 'zz99 3vz' }).postcodes).toEqual([]);
  });

  it('parses UK postcodes into sector and district, and keeps others whole', () => {
    expect(rec('1', { postcode: 'l17 8xy' }).postcodes[0]).toEqual({ full: 'L178XY', sector: 'L17 8', district: 'L17' });
    expect(rec('1', { postcode: '2119' }).postcodes[0]).toEqual({ full: '2119', sector: null, district: null });
  });

  it('normalises phones, e-mails, streets and identifiers', () => {
    const r = rec('1', { phone: '+44 151 496 0000', email: 'Jo.Bloggs@Example.com', line: '12A High Street', ids: [['NHS', '943 476 5919']] });
    expect(r.phones).toEqual(['01514960000'.slice(-10)]);
    expect(r.emails).toEqual([{ full: 'jo.bloggs@example.com', local: 'jo.bloggs' }]);
    expect(r.streets).toEqual([{ houseNumber: '12a', street: 'highstreet' }]);
    expect(r.identifiers).toEqual([{ key: 'NHS', scheme: 'NHS', value: '9434765919' }]);
  });

  it('caps absurd input instead of failing on it', () => {
    const p = person({ given: 'x'.repeat(300), family: '😀😀😀', email: `${'a'.repeat(5000)}@b.com`, line: 'z'.repeat(10_000) });
    p.identifiers = Array.from({ length: 1000 }, (_, i) => ({ scheme: 'LOCAL' as const, value: `id${i}`, issuer: 'sys' }));
    p.emails = [...p.emails, ...Array.from({ length: 100 }, (_, i) => `p${i}@x.org`)];
    const r = toMatchRecord('1', 'test', p);
    expect(r.givenName).toHaveLength(DEFAULT_FEATURE_LIMITS.maxNameLength);
    expect(r.familyName).toBeNull();
    expect(r.identifiers).toHaveLength(DEFAULT_FEATURE_LIMITS.maxValuesPerField);
    expect(r.emails.length).toBeLessThanOrEqual(DEFAULT_FEATURE_LIMITS.maxValuesPerField);
    for (const e of r.emails) expect(e.full.length).toBeLessThanOrEqual(DEFAULT_FEATURE_LIMITS.maxValueLength);
    expect((r.streets[0].street ?? '').length).toBeLessThanOrEqual(DEFAULT_FEATURE_LIMITS.maxValueLength);
  });

  it('falls back to the full name when names are not split', () => {
    const p = person({});
    p.name = { givenNames: [], familyName: null, fullName: 'Mary Anne Jones', title: null };
    const r = toMatchRecord('1', 'test', p);
    expect([r.givenName, r.otherGivenNames, r.familyName]).toEqual(['mary', ['anne'], 'jones']);
  });
});
