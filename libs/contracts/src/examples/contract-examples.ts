// One made-up example of every contract, typed against the generated writer types, so that
// a contract without an example, or an example a schema change breaks, fails to compile.
// Used by the round-trip tests and handy for other tests and demos. No real person's data.
import type { ContractInputs, ContractName, EnvelopeInput, PersonDetailsInput } from '../generated/contracts';

const envelope = (sourceSystem: string, sourceRecordId: string, overrides: Partial<EnvelopeInput> = {}): EnvelopeInput => ({
  eventId: '0f4b6d0e-4d7e-5c2a-8a51-2f0f5a3f8e10',
  sourceSystem,
  sourceRecordId,
  sourceVersion: '3',
  occurredAt: Date.UTC(2024, 2, 1, 9, 30),
  receivedAt: Date.UTC(2024, 2, 1, 9, 31, 12, 345),
  dataSharingAgreement: 'DSA-2024-POLICE-01',
  lawfulBasis: 'UK-GDPR-6(1)(e)+9(2)(g)',
  sensitivity: 'SPECIAL_CATEGORY',
  feed: 'police-nightly',
  ...overrides,
});

const hubEnvelope = (service: string, id: string): EnvelopeInput =>
  envelope(`hub.${service}`, id, { feed: null, sensitivity: 'PERSONAL', dataSharingAgreement: 'DSA-HUB-INTERNAL', lawfulBasis: 'UK-GDPR-6(1)(e)' });

const person: PersonDetailsInput = {
  name: { givenNames: ['Jordan', 'Lee'], familyName: 'Example', fullName: 'Mr Jordan Lee EXAMPLE', title: 'Mr' },
  otherNames: [{ givenNames: ['Jordan'], familyName: 'Sample', fullName: null, title: null }],
  dateOfBirth: '2009-02-28',
  sex: 'MALE',
  addresses: [{ lines: ['1 Example Street'], locality: 'Liverpool', postcode: 'L1 1AA', uprn: '38000000001', countryCode: null, usage: 'HOME', validFrom: '2020-01-01', validTo: null }],
  emails: ['jordan@example.org'],
  phones: ['+447700900123'],
  identifiers: [
    { scheme: 'NHS', value: '9990000018', issuer: null },
    { scheme: 'LOCAL', value: 'P-1001', issuer: 'police-nightly' },
  ],
};

const golden = {
  person,
  provenance: [{ field: 'dateOfBirth', source: { sourceSystem: 'school-census', sourceRecordId: 'S-77' }, rule: 'most-trusted-source' }],
};

export const CONTRACT_EXAMPLES: { readonly [N in ContractName]: ContractInputs[N] } = {
  PartnerRecordReceived: {
    envelope: envelope('police', 'P-1001'),
    recordType: 'person',
    loadId: 'load-2024-03-01',
    rowNumber: 42,
    contentType: 'text/csv',
    encoding: 'windows-1252',
    raw: Buffer.from('P-1001,Jordan Lee,EXAMPLE,28/02/2009,L1 1AA\r\n', 'latin1'),
  },
  PartnerRecordWithdrawn: { envelope: envelope('police', 'P-1001'), recordType: 'person', loadId: null, reason: 'MISSING_FROM_SNAPSHOT' },
  PersonObserved: {
    envelope: envelope('police', 'P-1001'),
    person,
    qualityFlags: [{ field: 'person.phones', code: 'INGEST.INVALID_PHONE' }],
    loadId: 'load-2024-03-01',
  },
  InvolvementObserved: {
    envelope: envelope('school-census', 'ATT-2024-AUT-77'),
    person: { sourceSystem: 'school-census', sourceRecordId: 'S-77' },
    kind: 'ATTENDANCE_RETURN',
    startedOn: '2023-09-04',
    endedOn: '2023-12-20',
    attendance: { academicYear: '2023/24', term: 'AUTUMN', possibleSessions: 140, attendedSessions: 118, authorisedAbsences: 10, unauthorisedAbsences: 12, schoolUrn: '104567' },
    attributes: { censusReturn: 'AUT23' },
  },
  RelationshipObserved: {
    envelope: envelope('social-care', 'REL-9'),
    from: { sourceSystem: 'social-care', sourceRecordId: 'C-1' },
    to: { sourceSystem: 'social-care', sourceRecordId: 'C-2' },
    kind: 'PARENT',
    parentalResponsibility: true,
  },
  AddressObserved: {
    envelope: envelope('housing', 'TEN-5'),
    person: { sourceSystem: 'housing', sourceRecordId: 'H-3' },
    address: { lines: ['Flat 2', '10 Sample Road'], locality: 'Liverpool', postcode: 'L8 0AA', uprn: null, countryCode: null, usage: 'HOME', validFrom: null, validTo: null },
  },
  RecordRejected: {
    envelope: envelope('health', 'H-404'),
    recordType: 'person',
    loadId: 'load-7',
    rowNumber: 3,
    reasons: [{ code: 'INGEST.INVALID_NHS_NUMBER', field: 'nhs_number', message: 'check digit does not match' }],
    contentType: 'application/json',
    encoding: 'UTF-8',
    raw: Buffer.from('{"id":"H-404","nhs_number":"1234567890"}'),
  },
  MasterPersonCreated: {
    envelope: hubEnvelope('mdm', 'M-1'),
    masterPersonId: 'M-1',
    version: 1,
    golden,
    sourceRecords: [{ sourceSystem: 'police', sourceRecordId: 'P-1001' }],
    modelVersion: 'model-3',
  },
  MasterPersonUpdated: {
    envelope: hubEnvelope('mdm', 'M-1'),
    masterPersonId: 'M-1',
    version: 2,
    golden,
    sourceRecords: [
      { sourceSystem: 'police', sourceRecordId: 'P-1001' },
      { sourceSystem: 'school-census', sourceRecordId: 'S-77' },
    ],
    changedFields: ['dateOfBirth'],
  },
  MasterPersonMerged: {
    envelope: hubEnvelope('mdm', 'M-1'),
    masterPersonId: 'M-1',
    version: 3,
    golden,
    sourceRecords: [{ sourceSystem: 'police', sourceRecordId: 'P-1001' }],
    aliases: ['M-9'],
    mergedIds: ['M-9'],
    reason: 'MATCHED',
    matchWeight: 14.2,
  },
  MasterPersonSplit: {
    envelope: hubEnvelope('mdm', 'M-1'),
    masterPersonId: 'M-1',
    version: 4,
    parts: [
      { masterPersonId: 'M-1', version: 4, revived: false, golden, sourceRecords: [{ sourceSystem: 'police', sourceRecordId: 'P-1001' }] },
      { masterPersonId: 'M-9', version: 2, revived: true, golden, sourceRecords: [{ sourceSystem: 'health', sourceRecordId: 'H-1' }] },
    ],
    reason: 'REVIEW_DECISION',
  },
  GroupChanged: {
    envelope: hubEnvelope('groups', 'F-12'),
    groupId: 'F-12',
    version: 5,
    kind: 'FAMILY',
    change: 'UPDATED',
    members: [
      { masterPersonId: 'M-1', role: 'CHILD', dependentChild: true },
      { masterPersonId: 'M-2', role: 'MAIN_CARER' },
    ],
  },
  CohortScoreChanged: {
    envelope: hubEnvelope('cohorts', 'F-12'),
    programmeId: 'troubled-families-2',
    subjectKind: 'GROUP',
    subjectId: 'F-12',
    version: 8,
    score: 2,
    previousScore: 1,
    eligible: true,
    rag: 'AMBER',
    criteria: [{ criterionId: 'school-attendance', met: true, explanation: 'attendance below 90% in the last 3 terms', evidenceEventIds: ['0f4b6d0e-4d7e-5c2a-8a51-2f0f5a3f8e10'] }],
    rulesVersion: 'tf2-liverpool-3',
  },
  AlertRaised: {
    envelope: hubEnvelope('alerts', 'A-3'),
    alertId: 'A-3',
    ruleId: 'newly-eligible',
    subjectKind: 'GROUP',
    subjectId: 'F-12',
    severity: 'MEDIUM',
    reasonCode: 'ALERTS.NEWLY_ELIGIBLE',
    summary: 'family newly meets two criteria',
  },
  DeadLetter: {
    originalTopic: 'hub.ingest.person-observed.v1',
    originalPartition: 3,
    originalOffset: 1234567,
    originalTimestamp: Date.UTC(2024, 2, 1),
    key: Buffer.from('police/P-1001'),
    value: Buffer.from([0xc3, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
    headers: [{ key: 'traceparent', value: Buffer.from('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') }],
    errorCode: 'CONTRACTS.UNKNOWN_FINGERPRINT',
    errorMessage: 'no known schema has fingerprint 0000000000000000',
    consumerGroup: 'mdm',
    failedAt: Date.UTC(2024, 2, 1, 10),
    attempts: 5,
  },
};
