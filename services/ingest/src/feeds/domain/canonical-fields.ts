/**
 * The canonical fields a mapping may fill, per record type, and what kind of value each is.
 * The kind decides the parsing and the validation rule that applies; a mapping names fields
 * by these keys ("name.given", "address.postcode", "offence.offenceCode"...).
 */
export type FieldKind =
  | 'text' | 'birthDate' | 'eventDate' | 'date' | 'sex' | 'int' | 'bool' | 'postcode' | 'uprn'
  | 'givenName' | 'middleNames' | 'familyName' | 'fullName' | 'title' | 'initials' | 'addressOneLine'
  | 'relationshipKind' | 'recordRef';

export const ADDRESS_FIELDS = {
  'address.line1': 'text',
  'address.line2': 'text',
  'address.line3': 'text',
  /** "1 Everton Grove, City Centre, Liverpool, L1 1HZ": comma-separated lines, postcode last. */
  'address.oneLine': 'addressOneLine',
  'address.locality': 'text',
  'address.postcode': 'postcode',
  'address.uprn': 'uprn',
  'address.countryCode': 'text',
  'address.usage': 'text',
  'address.validFrom': 'date',
  'address.validTo': 'date',
} as const satisfies Record<string, FieldKind>;

export const PERSON_FIELDS = {
  'name.title': 'title',
  'name.given': 'givenName',
  'name.middle': 'middleNames',
  'name.family': 'familyName',
  /** Split into given and family names ("SMITH, John" or "John Smith"); kept as received in name.fullName. */
  'name.full': 'fullName',
  /** "JS": the first letter of the forename, then of the surname. */
  'name.initials': 'initials',
  dateOfBirth: 'birthDate',
  dateOfDeath: 'eventDate',
  sex: 'sex',
  ...ADDRESS_FIELDS,
} as const satisfies Record<string, FieldKind>;

export const INVOLVEMENT_FIELDS = {
  sourceCode: 'text',
  role: 'text',
  startedOn: 'eventDate',
  endedOn: 'date',
  status: 'text',
  'offence.offenceCode': 'text',
  'offence.proven': 'bool',
  'offence.outcome': 'text',
  'offence.disposal': 'text',
  'asb.incidentType': 'text',
  'asb.action': 'text',
  'attendance.academicYear': 'text',
  'attendance.term': 'text',
  'attendance.possibleSessions': 'int',
  'attendance.attendedSessions': 'int',
  'attendance.authorisedAbsences': 'int',
  'attendance.unauthorisedAbsences': 'int',
  'attendance.schoolUrn': 'text',
  'exclusion.exclusionType': 'text',
  'exclusion.sessions': 'int',
  'exclusion.reasonCode': 'text',
  'exclusion.schoolUrn': 'text',
  'benefitClaim.benefitType': 'text',
  'benefitClaim.outOfWork': 'bool',
  'socialCare.category': 'text',
  'socialCare.legalStatus': 'text',
  'healthReferral.service': 'text',
  'healthReferral.reasonCode': 'text',
} as const satisfies Record<string, FieldKind>;

export const RELATIONSHIP_FIELDS = {
  /** Source record id of the person who is <kind> of `to`; in a nested template, the nested person by default. */
  from: 'recordRef',
  /** Source record id of the other person; in a nested template, the anchor person by default. */
  to: 'recordRef',
  kind: 'relationshipKind',
  parentalResponsibility: 'bool',
  startedOn: 'eventDate',
  endedOn: 'date',
} as const satisfies Record<string, FieldKind>;

export type PersonFieldName = keyof typeof PERSON_FIELDS;
export type AddressFieldName = keyof typeof ADDRESS_FIELDS;
export type InvolvementFieldName = keyof typeof INVOLVEMENT_FIELDS;
export type RelationshipFieldName = keyof typeof RELATIONSHIP_FIELDS;

/** Detail groups of an involvement and the kind each belongs to. */
export const INVOLVEMENT_DETAIL_KIND = {
  offence: 'OFFENCE',
  asb: 'ASB_INCIDENT',
  attendance: 'ATTENDANCE_RETURN',
  exclusion: 'EXCLUSION',
  benefitClaim: 'BENEFIT_CLAIM',
  socialCare: 'SOCIAL_CARE_EPISODE',
  healthReferral: 'HEALTH_REFERRAL',
} as const;

/** Fields without which a detail group means nothing (the contract requires them). */
export const REQUIRED_DETAIL_FIELDS: Record<keyof typeof INVOLVEMENT_DETAIL_KIND, readonly InvolvementFieldName[]> = {
  offence: [],
  asb: [],
  attendance: ['attendance.academicYear', 'attendance.term', 'attendance.possibleSessions', 'attendance.attendedSessions'],
  exclusion: ['exclusion.exclusionType'],
  benefitClaim: ['benefitClaim.benefitType'],
  socialCare: ['socialCare.category'],
  healthReferral: [],
};
