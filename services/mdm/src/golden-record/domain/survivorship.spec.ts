import type { Address, PersonDetails } from '@hub/contracts';
import { GOLDEN_LIST_LIMIT, goldenRecord, MemberRecord, SurvivorshipPolicy } from './survivorship';

const DAY = 86_400_000;
const JAN_2020 = Date.UTC(2020, 0, 1);

function person(details: Partial<PersonDetails> = {}): PersonDetails {
  return {
    name: { givenNames: [], familyName: null, fullName: null, title: null },
    otherNames: [],
    dateOfBirth: null,
    sex: null,
    addresses: [],
    emails: [],
    phones: [],
    identifiers: [],
    ...details,
  };
}

function member(sourceSystem: string, sourceRecordId: string, occurredAt: number, details: Partial<PersonDetails> = {}): MemberRecord {
  return { source: { sourceSystem, sourceRecordId }, occurredAt, person: person(details) };
}

function address(lines: string[], postcode: string, extra: Partial<Address> = {}): Address {
  return { lines, locality: 'Liverpool', postcode, uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null, ...extra };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe(goldenRecord.name, () => {
  it('keeps the more trusted source even when a less trusted one is newer', () => {
    const gp = member('gp-registrations', 'G1', JAN_2020, { dateOfBirth: '1980-03-04' });
    const police = member('police', 'P1', JAN_2020 + 900 * DAY, { dateOfBirth: '1980-04-03' });

    expect(goldenRecord([gp, police]).person.dateOfBirth).toBe('1980-03-04');
  });

  it('breaks a tie of trust by the newer record', () => {
    const older = member('school-census', 'S1', JAN_2020, { dateOfBirth: '2012-05-06' });
    const newer = member('school-census', 'S2', JAN_2020 + DAY, { dateOfBirth: '2012-06-05' });

    expect(goldenRecord([older, newer]).person.dateOfBirth).toBe('2012-06-05');
    expect(goldenRecord([older, newer]).provenance).toEqual([{ field: 'dateOfBirth', source: { sourceSystem: 'school-census', sourceRecordId: 'S2' }, rule: 'trust>recency' }]);
  });

  it('breaks a tie of trust and recency by the value most records carry', () => {
    const policy: SurvivorshipPolicy = { trust: {}, defaultTrust: 1 };
    const members = [
      member('a', '1', JAN_2020, { sex: 'MALE' }),
      member('b', '1', JAN_2020, { sex: 'FEMALE' }),
      member('c', '1', JAN_2020, { sex: 'FEMALE' }),
    ];

    expect(goldenRecord(members, policy).person.sex).toBe('FEMALE');
  });

  it('breaks a complete tie by the smallest source key', () => {
    const policy: SurvivorshipPolicy = { trust: {}, defaultTrust: 1 };
    const members = [member('b-feed', '1', JAN_2020, { dateOfBirth: '1990-01-01' }), member('a-feed', '9', JAN_2020, { dateOfBirth: '1991-01-01' })];

    expect(goldenRecord(members, policy).person.dateOfBirth).toBe('1991-01-01');
    expect(goldenRecord(members, policy).provenance).toEqual([
      { field: 'dateOfBirth', source: { sourceSystem: 'a-feed', sourceRecordId: '9' }, rule: 'trust>recency>frequency>source-order' },
    ]);
  });

  it('gives exactly the same record for every order of the same four members', () => {
    const members = [
      member('school-census', 'S1', JAN_2020, {
        name: { givenNames: ['Amir'], familyName: 'Khan', fullName: null, title: null },
        dateOfBirth: '2011-02-03',
        identifiers: [{ scheme: 'UPN', value: 'A123456789012', issuer: null }],
        addresses: [address(['1 Old Road'], 'L1 1AA')],
        emails: ['home@example.org'],
      }),
      member('police', 'P1', JAN_2020 + 30 * DAY, {
        name: { givenNames: ['Ameer'], familyName: 'Khan', fullName: null, title: null },
        dateOfBirth: '2011-03-02',
        identifiers: [
          { scheme: 'UPN', value: 'B999999999999', issuer: null },
          { scheme: 'PNC', value: '11/123456A', issuer: null },
        ],
        addresses: [address(['9 Station Street'], 'L2 2BB')],
        phones: ['+447700900123'],
      }),
      // Ties with the next member on trust and recency: only frequency and source order separate them.
      member('council-tax', 'C1', JAN_2020 + 60 * DAY, { addresses: [address(['5 New Lane'], 'L3 3CC')], emails: ['HOME@example.org', 'b@example.org'] }),
      member('electoral-register', 'E1', JAN_2020 + 60 * DAY, { addresses: [address(['7 New Lane'], 'L3 3CD')], emails: ['a@example.org'] }),
    ];
    const expected = goldenRecord(members);

    const all = permutations(members);
    expect(all).toHaveLength(24);
    for (const order of all) expect(goldenRecord(order)).toEqual(expected);
  });

  it("keeps the school's UPN over the police's", () => {
    const school = member('school-census', 'S1', JAN_2020, { identifiers: [{ scheme: 'UPN', value: 'A123456789012', issuer: null }] });
    const police = member('police', 'P1', JAN_2020 + 365 * DAY, { identifiers: [{ scheme: 'UPN', value: 'A123456789099', issuer: null }] });

    expect(goldenRecord([police, school]).person.identifiers).toEqual([{ scheme: 'UPN', value: 'A123456789012', issuer: null }]);
  });

  it('chooses each identifier scheme on its own', () => {
    const school = member('school-census', 'S1', JAN_2020, { identifiers: [{ scheme: 'UPN', value: 'A123456789012', issuer: null }] });
    const police = member('police', 'P1', JAN_2020, {
      identifiers: [
        { scheme: 'UPN', value: 'A123456789099', issuer: null },
        { scheme: 'PNC', value: '11/123456A', issuer: null },
      ],
    });

    expect(goldenRecord([school, police]).person.identifiers).toEqual([
      { scheme: 'UPN', value: 'A123456789012', issuer: null },
      { scheme: 'PNC', value: '11/123456A', issuer: null },
    ]);
  });

  it('keeps local identifiers of different issuers side by side', () => {
    const a = member('a', '1', JAN_2020, { identifiers: [{ scheme: 'LOCAL', value: '42', issuer: 'csc' }] });
    const b = member('b', '1', JAN_2020, { identifiers: [{ scheme: 'LOCAL', value: '77', issuer: 'housing' }] });

    expect(goldenRecord([a, b]).person.identifiers).toHaveLength(2);
  });

  it('takes the newest address, by the date the source says, among the most trusted sources', () => {
    const electoral = member('electoral-register', 'E1', JAN_2020 + 400 * DAY, { addresses: [address(['1 Old Road'], 'L1 1AA', { validFrom: '2019-06-01' })] });
    const councilTax = member('council-tax', 'C1', JAN_2020 + 100 * DAY, { addresses: [address(['5 New Lane'], 'L3 3CC', { validFrom: '2020-03-01' })] });
    const police = member('police', 'P1', JAN_2020 + 800 * DAY, { addresses: [address(['9 Station Street'], 'L2 2BB')] });

    const golden = goldenRecord([electoral, councilTax, police]);

    expect(golden.person.addresses).toEqual([address(['5 New Lane'], 'L3 3CC', { validFrom: '2020-03-01' })]);
  });

  it('does not keep an address the person has left while another is current', () => {
    const left = address(['1 Old Road'], 'L1 1AA', { validFrom: '2021-01-01', validTo: '2022-01-01' });
    const current = address(['5 New Lane'], 'L3 3CC', { validFrom: '2018-01-01' });

    expect(goldenRecord([member('council-tax', 'C1', JAN_2020, { addresses: [left, current] })]).person.addresses).toEqual([current]);
  });

  it('ignores null and empty values, even from the most trusted source', () => {
    const gp = member('gp-registrations', 'G1', JAN_2020 + DAY, {
      name: { givenNames: ['  '], familyName: '', fullName: null, title: 'Mr' },
      dateOfBirth: ' ',
      sex: 'NOT_KNOWN',
      emails: [''],
      identifiers: [{ scheme: 'NHS', value: '', issuer: null }],
    });
    const police = member('police', 'P1', JAN_2020, {
      name: { givenNames: ['John'], familyName: 'Smith', fullName: null, title: null },
      dateOfBirth: '1970-01-02',
      sex: 'MALE',
      identifiers: [{ scheme: 'NHS', value: '9434765919', issuer: null }],
    });

    expect(goldenRecord([gp, police]).person).toMatchObject({
      name: { givenNames: ['John'], familyName: 'Smith' },
      dateOfBirth: '1970-01-02',
      sex: 'MALE',
      emails: [],
      identifiers: [{ scheme: 'NHS', value: '9434765919', issuer: null }],
    });
  });

  // A master whose source records were all withdrawn has nothing known about it; that is not a bug.
  it('gives an empty person with no provenance for no members', () => {
    expect(goldenRecord([])).toEqual({
      person: {
        name: { givenNames: [], familyName: null, fullName: null, title: null },
        otherNames: [],
        dateOfBirth: null,
        sex: null,
        addresses: [],
        emails: [],
        phones: [],
        identifiers: [],
      },
      provenance: [],
    });
  });

  it('names the source record and the rule behind every field', () => {
    const school = member('school-census', 'S1', JAN_2020, {
      name: { givenNames: ['Amir'], familyName: 'Khan', fullName: null, title: null },
      dateOfBirth: '2011-02-03',
      identifiers: [{ scheme: 'UPN', value: 'A123456789012', issuer: null }],
    });
    const housing = member('housing', 'H7', JAN_2020 + DAY, {
      name: { givenNames: ['Amir'], familyName: 'KHAN', fullName: null, title: 'Mr' },
      dateOfBirth: '2011-02-03',
      addresses: [address(['5 New Lane'], 'L3 3CC')],
      emails: ['amir@example.org'],
    });
    const police = member('police', 'P1', JAN_2020 + 2 * DAY, {
      name: { givenNames: ['Ameer'], familyName: 'Khan', fullName: null, title: null },
      dateOfBirth: '2011-03-02',
      identifiers: [{ scheme: 'UPN', value: 'B999999999999', issuer: null }],
    });
    const schoolRef = { sourceSystem: 'school-census', sourceRecordId: 'S1' };
    const housingRef = { sourceSystem: 'housing', sourceRecordId: 'H7' };
    const policeRef = { sourceSystem: 'police', sourceRecordId: 'P1' };

    expect(goldenRecord([school, housing, police]).provenance).toEqual([
      { field: 'name', source: schoolRef, rule: 'trust' },
      { field: 'dateOfBirth', source: schoolRef, rule: 'trust' },
      { field: 'addresses[0]', source: housingRef, rule: 'unanimous' },
      { field: 'identifiers.UPN', source: schoolRef, rule: 'trust' },
      { field: 'emails[0]', source: housingRef, rule: 'union' },
      { field: 'otherNames[0]', source: policeRef, rule: 'union' },
    ]);
  });

  it('merges e-mails without duplicates, most believable first, up to the limit', () => {
    const gp = member('gp-registrations', 'G1', JAN_2020, { emails: ['Amir@Example.org', 'a1@example.org', 'a2@example.org'] });
    const police = member('police', 'P1', JAN_2020, { emails: ['amir@example.org', 'a3@example.org', 'a4@example.org', 'a5@example.org'] });

    const { emails } = goldenRecord([police, gp]).person;

    expect(emails).toHaveLength(GOLDEN_LIST_LIMIT);
    expect(emails?.slice(0, 3)).toEqual(['Amir@Example.org', 'a1@example.org', 'a2@example.org']);
  });

  it('lists the other names seen, without the main name', () => {
    const gp = member('gp-registrations', 'G1', JAN_2020, {
      name: { givenNames: ['Jon'], familyName: 'Smith', fullName: null, title: null },
      otherNames: [{ givenNames: ['Johnny'], familyName: 'Smith', fullName: null, title: null }],
    });
    const police = member('police', 'P1', JAN_2020, { name: { givenNames: ['JON'], familyName: 'SMITH', fullName: null, title: null } });

    expect(goldenRecord([gp, police]).person.otherNames).toEqual([{ givenNames: ['Johnny'], familyName: 'Smith', fullName: null, title: null }]);
  });

  it('lets a field override the general trust of a source', () => {
    const policy: SurvivorshipPolicy = { trust: { a: 5, b: 1 }, defaultTrust: 0, fieldTrust: { dateOfBirth: { b: 9 } } };
    const members = [member('a', '1', JAN_2020, { dateOfBirth: '2000-01-01', sex: 'MALE' }), member('b', '1', JAN_2020, { dateOfBirth: '2000-02-02', sex: 'FEMALE' })];

    expect(goldenRecord(members, policy).person).toMatchObject({ dateOfBirth: '2000-02-02', sex: 'MALE' });
  });

  it.each([
    ['UPN', 'school-census'],
    ['NHS', 'gp-registrations'],
    ['NI', 'dwp-benefits'],
    ['PNC', 'police'],
  ] as const)('trusts %s numbers from %s over newer claims from other feeds by default', (scheme, owner) => {
    const feeds = ['school-census', 'gp-registrations', 'dwp-benefits', 'police', 'electoral-register', 'housing', 'maternity'];
    const rivals = feeds.filter((feed) => feed !== owner).map((feed, i) => member(feed, 'R', JAN_2020 + (i + 1) * DAY, { identifiers: [{ scheme, value: `WRONG-${feed}`, issuer: null }] }));
    const ownerRecord = member(owner, 'O', JAN_2020, { identifiers: [{ scheme, value: 'RIGHT', issuer: null }] });

    expect(goldenRecord([...rivals, ownerRecord]).person.identifiers).toEqual([{ scheme, value: 'RIGHT', issuer: null }]);
  });
});
