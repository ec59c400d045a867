import { compileFeed } from './compile-feed';
import { FeedConfigError } from './feed-config-error';
import { loadFeedConfig, loadFeedConfigs } from './load-feed-configs';

const agreement = { id: 'DSA-TEST-01', lawfulBasis: 'UK-GDPR-6(1)(e)', sensitivity: 'PERSONAL', validFrom: '2024-01-01' };
const csvFeed = {
  name: 'test-feed', partner: 'Test', kind: 'delta', format: 'csv', columns: ['ref', 'action', 'name', 'dob', 'nhs', 'addr', 'code', 'note'],
  keyColumn: 'ref', actionColumn: { column: 'action', insert: ['I'], update: ['U'], delete: ['D'] }, occurredAt: { column: 'dob' }, dateFormat: 'dmy', agreement,
  maxFieldLength: 50,
  records: [
    { type: 'person', recordType: 'subject', fields: { 'name.full': 'name', dateOfBirth: 'dob', 'address.oneLine': 'addr', identifiers: [{ scheme: 'NHS', column: 'nhs' }] } },
    { type: 'involvement', recordType: 'case', kind: 'OFFENCE', when: { column: 'code', in: ['46', '49'] }, fields: { sourceCode: 'code', 'offence.offenceCode': 'code', attributes: { note: 'note' } } },
  ],
};
const row = { ref: 'R1', action: 'I', name: 'SMITH, John', dob: '09/05/1999', nhs: '943 476 5919', addr: '1 High St, Liverpool, L1 1HZ', code: '46', note: '' };

describe(compileFeed.name, () => {
  const sut = compileFeed(loadFeedConfig(csvFeed, 'test.yaml'), { today: '2026-11-26' });

  it('maps a row into a person and an involvement that points at it', () => {
    const mapped = sut.mapRow(row);
    expect(mapped).toMatchObject({ outcome: 'accepted', sourceRecordId: 'R1', sourceVersion: null, occurredAt: Date.UTC(1999, 4, 9), flags: [] });
    if (mapped.outcome !== 'accepted') throw new Error('accepted expected');
    expect(mapped.records[0]).toMatchObject({
      type: 'person', recordType: 'subject', sourceRecordId: 'R1',
      person: { name: { givenNames: ['John'], familyName: 'Smith', fullName: 'SMITH, John' }, dateOfBirth: '1999-05-09', identifiers: [{ scheme: 'NHS', value: '9434765919' }], addresses: [{ lines: ['1 High St'], locality: 'Liverpool', postcode: 'L1 1HZ' }] },
    });
    expect(mapped.records[1]).toMatchObject({ type: 'involvement', kind: 'OFFENCE', person: { sourceSystem: 'test-feed', sourceRecordId: 'R1' }, offence: { offenceCode: '46' }, attributes: {} });
  });

  it('skips a template whose condition does not hold', () => {
    const mapped = sut.mapRow({ ...row, code: '99' });
    expect(mapped.outcome === 'accepted' && mapped.records.map((r) => r.type)).toEqual(['person']);
  });

  it('nulls and flags a failing field, keeping the row', () => {
    const mapped = sut.mapRow({ ...row, nhs: '9434765918', dob: '31/02/1999' });
    expect(mapped.outcome).toBe('accepted');
    if (mapped.outcome !== 'accepted' || mapped.records[0].type !== 'person') throw new Error('accepted person expected');
    expect(mapped.records[0].person.identifiers).toEqual([]);
    expect(mapped.records[0].person.dateOfBirth).toBeNull();
    expect(mapped.records[0].qualityFlags).toEqual([
      { field: 'person.identifiers.NHS', code: 'INGEST.INVALID_NHS_NUMBER' },
      { field: 'person.dateOfBirth', code: 'INGEST.IMPOSSIBLE_DATE' },
    ]);
    expect(JSON.stringify(mapped.flags)).not.toContain('9434765918');
  });

  it('rejects per rule, with every reason', () => {
    const strict = compileFeed(loadFeedConfig({ ...csvFeed, rules: { nhsNumber: { action: 'reject' }, dateOfBirth: { action: 'reject' } } }), { today: '2026-11-26' });
    expect(strict.mapRow({ ...row, nhs: '1', dob: '01/01/2030' })).toEqual({
      outcome: 'rejected', sourceRecordId: 'R1',
      reasons: [
        { code: 'INGEST.INVALID_NHS_NUMBER', field: 'person.identifiers.NHS', message: 'an NHS number has 10 digits' },
        { code: 'INGEST.FUTURE_DATE', field: 'person.dateOfBirth', message: 'the date is after today' },
      ],
    });
  });

  it('rejects a person with nothing to identify them, a missing key and an unknown action', () => {
    expect(sut.mapRow({ ...row, name: 'UNKNOWN', dob: '', nhs: '' })).toMatchObject({ outcome: 'rejected', reasons: [{ code: 'INGEST.NO_IDENTITY', field: 'person' }] });
    expect(sut.mapRow({ ...row, ref: '  ' })).toMatchObject({ outcome: 'rejected', sourceRecordId: null, reasons: [{ code: 'INGEST.MISSING_KEY' }] });
    expect(sut.mapRow({ ...row, action: 'X' })).toMatchObject({ outcome: 'rejected', reasons: [{ code: 'INGEST.UNKNOWN_ACTION' }] });
  });

  it('withdraws on a delete action', () => {
    expect(sut.mapRow({ ...row, action: 'D' })).toEqual({ outcome: 'withdrawn', sourceRecordId: 'R1', occurredAt: Date.UTC(1999, 4, 9) });
  });

  it('truncates a 3,000-character field and keeps emoji intact, never throwing', () => {
    const mapped = sut.mapRow({ ...row, note: '😀'.repeat(3000) });
    expect(mapped.outcome).toBe('accepted');
    if (mapped.outcome !== 'accepted' || mapped.records[1].type !== 'involvement') throw new Error('involvement expected');
    expect(Array.from(mapped.records[1].attributes?.note ?? '')).toHaveLength(50);
    expect(mapped.flags).toEqual([expect.objectContaining({ code: 'INGEST.FIELD_TOO_LONG', field: 'involvement.attributes.note' })]);
  });

  it('survives hostile rows', () => {
    for (const hostile of [{}, { ref: { nested: true } }, { ...row, name: ['a'] }, { ...row, dob: 12 }, null as unknown as Record<string, unknown>]) {
      expect(() => sut.mapRow(hostile)).not.toThrow();
    }
  });

  it('publishes the JSON Schema of a pushed record', () => {
    const schema = sut.jsonSchema() as { $schema: string; properties: Record<string, { pattern?: string; enum?: string[] }>; required: string[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['ref']);
    expect(schema.properties.action.enum).toEqual(['I', 'U', 'D']);
    expect(schema.properties.dob.pattern).toBeDefined();
  });
});

describe('nested persons (JSON Lines)', () => {
  const sut = compileFeed(
    loadFeedConfig({
      name: 'incidents', partner: 'Test', kind: 'delta', format: 'jsonl', columns: ['id', 'date', 'persons'], keyColumn: 'id', agreement,
      nested: { field: 'persons', key: 'ref', columns: ['ref', 'role', 'first', 'last', 'nhs'] },
      records: [
        { type: 'person', recordType: 'person', scope: 'nested', fields: { 'name.given': 'first', 'name.family': 'last', identifiers: [{ scheme: 'NHS', column: 'nhs' }] } },
        { type: 'involvement', recordType: 'incident', kind: 'DOMESTIC_ABUSE_INCIDENT', scope: 'nested', fields: { role: { column: 'role', transform: ['upper'] }, startedOn: { path: 'date' } } },
        { type: 'relationship', recordType: 'child-of', scope: 'nested', when: { column: 'role', in: ['child'] }, anchor: { column: 'role', in: ['victim'] }, fields: { kind: { const: 'CHILD' } } },
      ],
    }),
    { today: '2026-11-26' },
  );

  it('yields one person per nested person, keyed by its own ref, and links them', () => {
    const mapped = sut.mapRow({ id: 'I1', date: '2020-01-02', persons: [{ ref: 'I1/1', role: 'victim', first: 'ANNA', last: "O'NEILL" }, { role: 'child', first: 'Ben', last: "O'Neill" }] });
    if (mapped.outcome !== 'accepted') throw new Error('accepted expected');
    expect(mapped.records.map((r) => `${r.type}:${r.sourceRecordId}`)).toEqual(['person:I1/1', 'person:I1/2', 'involvement:I1/1', 'involvement:I1/2', 'relationship:I1/2']);
    expect(mapped.records[0]).toMatchObject({ person: { name: { givenNames: ['Anna'], familyName: "O'Neill" } } });
    expect(mapped.records[2]).toMatchObject({ role: 'VICTIM', startedOn: '2020-01-02', person: { sourceRecordId: 'I1/1' } });
    expect(mapped.records[4]).toMatchObject({ kind: 'CHILD', from: { sourceRecordId: 'I1/2' }, to: { sourceRecordId: 'I1/1' } });
  });
});

describe(loadFeedConfigs.name, () => {
  function problemsOf(documents: unknown[]): string[] {
    try {
      loadFeedConfigs(documents);
    } catch (error) {
      if (error instanceof FeedConfigError) return error.problems.map((p) => `${p.file ?? '-'}|${p.feed ?? '-'}|${p.path}|${p.message}`);
      throw error;
    }
    return [];
  }

  it('names file, feed and field of every problem', () => {
    const bad = { ...csvFeed, __file: 'bad.yaml', records: [{ type: 'person', recordType: 'subject', fields: { dateOfBrith: 'dob', 'name.full': 'nmae' } }] };
    const problems = problemsOf([bad]);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^bad\.yaml\|test-feed\|records\[0\]\.fields\|.*dateOfBrith/),
      expect.stringMatching(/^bad\.yaml\|test-feed\|records\[0\]\.fields\.name\.full\.column\|column "nmae" is not among/),
    ]));
  });

  it('refuses unknown keys, a bad agreement, a duplicate feed and detail fields of another kind', () => {
    expect(problemsOf([{ ...csvFeed, colums: [] }]).join('\n')).toMatch(/colums/);
    expect(problemsOf([{ ...csvFeed, agreement: { ...agreement, sensitivity: 'SECRET', validFrom: '2024-02-30' } }]).join('\n')).toMatch(/agreement\.sensitivity[\s\S]*agreement\.validFrom\|must be a calendar date/);
    expect(problemsOf([csvFeed, csvFeed]).join('\n')).toMatch(/already defines this feed/);
    const wrongKind = { ...csvFeed, records: [csvFeed.records[0], { ...csvFeed.records[1], kind: 'ASB_INCIDENT' }] };
    expect(problemsOf([wrongKind]).join('\n')).toMatch(/offence\.\* fields belong to kind OFFENCE, not ASB_INCIDENT/);
  });

  it('fills defaults', () => {
    const config = loadFeedConfig(csvFeed);
    expect(config).toMatchObject({ encoding: 'utf-8', csv: { delimiter: ',', quote: '"', skipInitialSpace: false }, rejectThreshold: 0.05, sourceSystem: 'test-feed' });
    expect(config.rules.postcode).toEqual({ action: 'null-and-flag', format: 'uk' });
    expect(config.rules.identity).toEqual({ action: 'reject' });
  });
});
