import { buildSearch, searchQuerySchema, searchShape } from './search-query';
import { identifierTerm, normaliseName, normalisePostcode, searchColumnsOf } from './search-terms';

describe('search terms', () => {
  it('normalises names, postcodes and identifiers the same way for rows and queries', () => {
    expect(normaliseName("  Zoë  O'Brien-Smith ")).toBe('zoe o brien smith');
    expect(normalisePostcode('l1  8jq')).toBe('L18JQ');
    expect(identifierTerm('ni', 'ab 12 34 56 c')).toBe('NI:AB123456C');
  });

  it('indexes every name, the postcodes and identifiers of a golden record', () => {
    const columns = searchColumnsOf({
      name: { givenNames: ['Ada', 'Mae'], familyName: 'Lovelace', fullName: null, title: 'Ms' },
      otherNames: [{ givenNames: [], familyName: null, fullName: 'Ada Byron', title: null }],
      dateOfBirth: '1815-12-10', sex: 'FEMALE',
      addresses: [{ lines: [], locality: null, postcode: 'L1 8JQ', uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null }],
      emails: [], phones: [], identifiers: [{ scheme: 'NHS', value: '9434765919', issuer: null }],
    });
    expect(columns).toEqual({ names: ['ada mae lovelace', 'ada byron'], nameText: 'ada mae lovelace | ada byron', dob: '1815-12-10', postcodes: ['L18JQ'], identifiers: ['NHS:9434765919'] });
    expect(searchColumnsOf(null)).toEqual({ names: [], nameText: '', dob: null, postcodes: [], identifiers: [] });
  });
});

describe('search query', () => {
  const schema = searchQuerySchema(50);

  it('accepts the criteria and defaults the page', () => {
    expect(schema.parse({ name: 'Ada', dob: '1980-02-29' })).toEqual({ name: 'Ada', dob: '1980-02-29', limit: 20, offset: 0 });
    expect(schema.parse({ identifier: 'NHS:943 476 5919', limit: '50', offset: '10' })).toMatchObject({ limit: 50, offset: 10 });
  });

  it.each([
    [{}, 'no criterion'],
    [{ name: 'Ada', extra: '1' }, 'an unknown parameter'],
    [{ dob: '1981-02-29' }, 'an impossible date'],
    [{ dob: '02/03/1980' }, 'another date format'],
    [{ name: 'A' }, 'a one-letter name'],
    [{ name: '!!' }, 'a name without letters'],
    [{ postcode: 'L1;DROP' }, 'a postcode with punctuation'],
    [{ identifier: '9434765919' }, 'an identifier without scheme'],
    [{ identifier: 'PASSPORT:1' }, 'an unknown scheme'],
    [{ name: 'Ada', limit: '51' }, 'a limit over the cap'],
    [{ name: 'Ada', limit: '0' }, 'a zero limit'],
    [{ name: 'Ada', offset: '-1' }, 'a negative offset'],
    [{ name: ['Ada', 'Bo'] }, 'a repeated parameter'],
  ] as [unknown, string][])('refuses %j (%s)', (query) => {
    expect(schema.safeParse(query).success).toBe(false);
  });

  it('builds parameterised SQL: values never enter the text', () => {
    const { sql, params } = buildSearch(schema.parse({ name: "O'Brien", dob: '1980-03-02', postcode: 'l1 8jq', identifier: 'NI:ab123456c', limit: '5' }));
    expect(sql).not.toContain('Brien');
    expect(sql).toContain('<% search_name_text');
    expect(sql).toContain("status = 'active'");
    expect(params).toEqual(['o brien', '1980-03-02', 'L18JQ', 'NI:AB123456C', 5, 0]);
  });

  it('ranks exact-only searches by id', () => {
    const { sql, params } = buildSearch(schema.parse({ dob: '1980-03-02' }));
    expect(sql).toContain('1.0 AS score');
    expect(params).toEqual(['1980-03-02', 20, 0]);
  });

  it('describes a search without its values', () => {
    expect(searchShape(schema.parse({ name: 'Ada', postcode: 'L1 8JQ' }))).toBe('name+postcode');
  });
});
