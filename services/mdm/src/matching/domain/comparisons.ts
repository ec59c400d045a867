/**
 * The comparison levels of the Fellegi-Sunter model: for each field, an ordered list of ways
 * two records can agree, from the strongest to "else". Level 0 is always the null level
 * (either side missing): it has no weight, because a missing value says nothing.
 *
 * Multi-valued fields (addresses, e-mails, identifiers) take the best level over all pairs of
 * values. Level functions read precomputed features only, so they allocate nothing.
 */
import { boundedLevenshtein, jaroWinkler, withinOneEdit } from './string-similarity';
import { DateOfBirthFeature, IdentifierFeature, identifierSchemeBit, MatchRecord, PostcodeFeature, StreetFeature } from './match-record';
import type { IdentifierScheme } from '@hub/contracts';

export const NULL_LEVEL = 0;

/** Features whose value frequencies adjust the weight of exact agreement. */
export type TermFrequencyField = 'givenName' | 'familyName' | 'locality';

export interface ComparisonSpec {
  readonly name: string;
  /** Labels, strongest first; index 0 is the null level, the last is "else". */
  readonly levels: readonly string[];
  /** m and u for levels 1..n used to start EM, and kept when the data never fills the field. */
  readonly defaultM: readonly number[];
  readonly defaultU: readonly number[];
  /** Exact agreement (level 1) on this field is adjusted by how common the value is. */
  readonly termFrequency?: TermFrequencyField;
  /** The level meaning "the value sits in the other field" (names): weighs as exact at most, with the same adjustment. */
  readonly swappedLevel?: number;
  /**
   * m is known, not learned: national identifiers' error rates are documented, and a data set
   * may hold no true pair where both sides carry one (two registers, one with NHS numbers), so
   * EM would learn m from the wrong pairs.
   */
  readonly fixedM?: boolean;
  /** Compared without string similarity (or usually missing): the pruned scorer looks at it early. */
  readonly cheap?: boolean;
  /**
   * False when the level is null for every pair whose first record is `a` (it lacks the field):
   * then the comparison adds nothing to any of `a`'s pairs, and the pruned scorer's bound for
   * them leaves it out. Omitted: it may add something.
   */
  readonly scoredFor?: (a: MatchRecord) => boolean;
  readonly level: (a: MatchRecord, b: MatchRecord) => number;
}

const NAME_LEVELS = [
  'null', 'exact', 'swapped with the other name', 'jaro-winkler >= 0.92', 'nickname or variant', 'jaro-winkler >= 0.88', 'phonetic', 'jaro-winkler >= 0.7', 'else',
] as const;

function sharesCode(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) if (a[i] === b[j]) return true;
  return false;
}

function nameLevel(
  a: string | null, b: string | null,
  aOther: string | null, bOther: string | null,
  aPhonetic: readonly string[], bPhonetic: readonly string[],
  aEquivalents: readonly string[], bEquivalents: readonly string[],
): number {
  if (a === null || b === null) {
    // A value moved to the other name field (given <-> family) is still evidence.
    if (a !== null && a === bOther) return 2;
    if (b !== null && b === aOther) return 2;
    return NULL_LEVEL;
  }
  if (a === b) return 1;
  if (a === bOther && b === aOther) return 2;
  const jw = jaroWinkler(a, b);
  if (jw >= 0.92) return 3;
  if (aEquivalents.includes(b) || bEquivalents.includes(a)) return 4;
  if (jw >= 0.88) return 5;
  if (sharesCode(aPhonetic, bPhonetic)) return 6;
  if (jw >= 0.7) return 7;
  return 8;
}

const NAME_VARIANT = 4;

/** Either name can meet the other record's name in the other field (a swap), so one is enough. */
function hasAName(a: MatchRecord): boolean {
  return a.givenName !== null || a.familyName !== null;
}

const givenName: ComparisonSpec = {
  name: 'given name',
  levels: NAME_LEVELS,
  defaultM: [0.75, 0.02, 0.06, 0.03, 0.03, 0.02, 0.03, 0.06],
  defaultU: [0.01, 0.0005, 0.002, 0.001, 0.002, 0.005, 0.03, 0.95],
  termFrequency: 'givenName',
  swappedLevel: 2,
  scoredFor: hasAName,
  level: (a, b) => {
    const level = nameLevel(a.givenName, b.givenName, a.familyName, b.familyName, a.givenPhonetic, b.givenPhonetic, a.givenEquivalents, b.givenEquivalents);
    // Known by a middle name ("Ellen Rebecca" and "Rebecca"): a variant, not a different name.
    if (level > NAME_VARIANT && a.givenName !== null && b.givenName !== null && (b.otherGivenNames.includes(a.givenName) || a.otherGivenNames.includes(b.givenName))) return NAME_VARIANT;
    return level;
  },
};

/**
 * Middle names, only when both records hold some: many sources keep the first given name
 * alone, so one side without middle names says nothing. Different middle names are what tell a
 * father from a son of the same first name at one address when neither record has a birth date.
 */
function middleNameLevel(a: MatchRecord, b: MatchRecord): number {
  const x = a.otherGivenNames;
  const y = b.otherGivenNames;
  if (x.length === 0 || y.length === 0) return NULL_LEVEL;
  let best = MIDDLE_NAME_ELSE;
  for (const m of x) {
    for (const n of y) {
      if (m === n) return 1;
      if (best > 2 && jaroWinkler(m, n) >= 0.88) best = 2;
      // An initial on one side ("J") against a name starting with it.
      if (best > 3 && (m.length === 1 || n.length === 1) && m[0] === n[0]) best = 3;
    }
  }
  return best;
}

const MIDDLE_NAME_ELSE = 4;

/** Both records hold middle names and none of them is close (exact, a typo or an initial). */
export function middleNamesDiffer(a: MatchRecord, b: MatchRecord): boolean {
  return middleNameLevel(a, b) === MIDDLE_NAME_ELSE;
}

const middleName: ComparisonSpec = {
  name: 'middle name',
  levels: ['null', 'exact', 'jaro-winkler >= 0.88', 'initial agrees', 'else'],
  defaultM: [0.85, 0.05, 0.05, 0.05],
  defaultU: [0.02, 0.005, 0.01, 0.965],
  scoredFor: (a) => a.otherGivenNames.length > 0,
  level: middleNameLevel,
};

const familyName: ComparisonSpec = {
  name: 'family name',
  levels: NAME_LEVELS,
  defaultM: [0.8, 0.02, 0.06, 0.01, 0.03, 0.02, 0.02, 0.04],
  defaultU: [0.005, 0.0005, 0.002, 0.0005, 0.002, 0.005, 0.03, 0.955],
  termFrequency: 'familyName',
  swappedLevel: 2,
  scoredFor: hasAName,
  level: (a, b) => {
    const level = nameLevel(a.familyName, b.familyName, a.givenName, b.givenName, a.familyPhonetic, b.familyPhonetic, a.familyEquivalents, b.familyEquivalents);
    // A previous family name (maiden name) agreeing counts as a variant, not as a disagreement.
    if (level > 4 && a.familyName !== null && b.familyName !== null && (a.otherFamilyNames.includes(b.familyName) || b.otherFamilyNames.includes(a.familyName))) return 4;
    return level;
  },
};

/** The "else" level of date of birth: more than two years and more than two digits apart, not one person's date mistyped. */
export const DOB_DIFFERENT_MIN_LEVEL = 7;

/** Both dates known and clearly not the same person's (a parent and a child, say). */
export function datesOfBirthDiffer(a: MatchRecord, b: MatchRecord): boolean {
  return dateOfBirthLevel(a, b) >= DOB_DIFFERENT_MIN_LEVEL;
}

/** Scratch for digitsMissing: how many more of each digit the first date holds than the second. */
const digitSurplus = new Int8Array(10);

/** How many digits of the first date (YYYYMMDD) the second lacks, counted as multisets. */
function digitsMissing(x: number, y: number): number {
  digitSurplus.fill(0);
  for (let i = 0, p = x, q = y; i < 8; i++) {
    const dp = p % 10;
    const dq = q % 10;
    digitSurplus[dp]++;
    digitSurplus[dq]--;
    p = (p - dp) / 10;
    q = (q - dq) / 10;
  }
  let missing = 0;
  for (let d = 0; d < 10; d++) if (digitSurplus[d] > 0) missing += digitSurplus[d];
  return missing;
}

/**
 * From the dates as numbers (`birthDate`, YYYYMMDD): the levels are those of the eight-digit
 * strings, computed without reading them. Both dates are eight digits (years from 1880), so a
 * single edit between them is a substitution (one digit differs), and two edits are either two
 * substitutions (at most two digits differ) or a deletion with an insertion, which leaves at
 * most one digit of one date missing from the other: the bounded edit distance of the strings
 * is computed only for the pairs that these counts cannot settle.
 */
function dateOfBirthLevel(a: MatchRecord, b: MatchRecord): number {
  const x = a.birthDate;
  const y = b.birthDate;
  if (x === 0 || y === 0) return NULL_LEVEL;
  if (x === y) return 1;
  const xYear = Math.floor(x / 10_000);
  const yYear = Math.floor(y / 10_000);
  const xMonth = Math.floor(x / 100) % 100;
  const yMonth = Math.floor(y / 100) % 100;
  const xDay = x % 100;
  const yDay = y % 100;
  if (xYear === yYear && xMonth === yDay && xDay === yMonth) return 2;
  let differing = 0;
  for (let i = 0, p = x, q = y; i < 8; i++) {
    const dp = p % 10;
    const dq = q % 10;
    if (dp !== dq) differing++;
    p = (p - dp) / 10;
    q = (q - dq) / 10;
  }
  if (differing === 1) return 3;
  const same = (xYear === yYear ? 1 : 0) + (xMonth === yMonth ? 1 : 0) + (xDay === yDay ? 1 : 0);
  if (same === 2) return 4;
  if (differing <= 2 || (digitsMissing(x, y) <= 1 && boundedLevenshtein((a.dateOfBirth as DateOfBirthFeature).digits, (b.dateOfBirth as DateOfBirthFeature).digits, 2) <= 2)) return 5;
  if (Math.abs(xYear - yYear) <= 2) return 6;
  return 7;
}

const dateOfBirth: ComparisonSpec = {
  name: 'date of birth',
  cheap: true,
  levels: ['null', 'exact', 'day and month transposed', 'one digit differs', 'one part differs', 'two digits differ', 'years within 2', 'else'],
  defaultM: [0.85, 0.01, 0.05, 0.04, 0.02, 0.02, 0.01],
  defaultU: [0.0001, 0.00001, 0.001, 0.003, 0.005, 0.08, 0.91],
  scoredFor: (a) => a.birthDate !== 0,
  level: dateOfBirthLevel,
};

/**
 * One comparison for the whole address. Postcode, street, house number and UPRN of one address
 * are not independent evidence: counted separately, a shared address alone (a household) would
 * outweigh different given names. Partial levels still let a typo in one part count.
 */
function addressPairLevel(
  pa: PostcodeFeature | null, pb: PostcodeFeature | null, sa: StreetFeature | null, sb: StreetFeature | null,
): number {
  const bothPostcodes = pa !== null && pb !== null;
  const bothStreets = sa !== null && sb !== null && sa.street !== null && sb.street !== null;
  if (!bothPostcodes && !bothStreets) return NULL_LEVEL;
  const postcodeExact = bothPostcodes && pa.full === pb.full;
  const numberExact = sa !== null && sb !== null && sa.houseNumber !== null && sa.houseNumber === sb.houseNumber;
  const streetSim = bothStreets ? (sa.street === sb.street ? 1 : jaroWinkler(sa.street as string, sb.street as string)) : 0;
  if (postcodeExact && numberExact && streetSim === 1) return 2;
  if (postcodeExact && (numberExact || streetSim >= 0.88)) return 3;
  if (numberExact && streetSim >= 0.88) return 4;
  if (postcodeExact) return 5;
  const postcodeNear = bothPostcodes && ((pa.sector !== null && pa.sector === pb.sector) || withinOneEdit(pa.full, pb.full));
  if (postcodeNear && (numberExact || streetSim >= 0.88)) return 4;
  if (postcodeNear) return 6;
  if (streetSim >= 0.88 || (bothPostcodes && pa.district !== null && pa.district === pb.district)) return 7;
  return 8;
}

function addressLevel(a: MatchRecord, b: MatchRecord): number {
  for (const x of a.uprns) if (b.uprns.includes(x)) return 1;
  const na = Math.max(a.postcodes.length, a.streets.length);
  const nb = Math.max(b.postcodes.length, b.streets.length);
  let best = NULL_LEVEL;
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      const level = addressPairLevel(a.postcodes[i] ?? null, b.postcodes[j] ?? null, a.streets[i] ?? null, b.streets[j] ?? null);
      if (level !== NULL_LEVEL && (best === NULL_LEVEL || level < best)) best = level;
    }
  }
  return best;
}

const address: ComparisonSpec = {
  name: 'address',
  levels: [
    'null', 'uprn exact', 'postcode, number and street exact', 'postcode exact, number or street close', 'number and street close, postcode close or different',
    'postcode exact only', 'postcode sector or one character', 'street close or same district', 'else',
  ],
  defaultM: [0.3, 0.45, 0.1, 0.05, 0.03, 0.03, 0.02, 0.02],
  defaultU: [0.00001, 0.00002, 0.0001, 0.0001, 0.001, 0.005, 0.02, 0.97378],
  scoredFor: (a) => a.uprns.length > 0 || a.postcodes.length > 0 || a.streets.length > 0,
  level: addressLevel,
};

function localityLevel(a: MatchRecord, b: MatchRecord): number {
  if (a.localities.length === 0 || b.localities.length === 0) return NULL_LEVEL;
  let best = 3;
  for (const x of a.localities) {
    for (const y of b.localities) {
      if (x === y) return 1;
      if (best > 2 && jaroWinkler(x, y) >= 0.88) best = 2;
    }
  }
  return best;
}

const locality: ComparisonSpec = {
  name: 'locality',
  levels: ['null', 'exact', 'jaro-winkler >= 0.88', 'else'],
  defaultM: [0.8, 0.1, 0.1],
  defaultU: [0.02, 0.01, 0.97],
  termFrequency: 'locality',
  scoredFor: (a) => a.localities.length > 0,
  level: localityLevel,
};

function exactAnyLevel(x: readonly string[], y: readonly string[]): number {
  if (x.length === 0 || y.length === 0) return NULL_LEVEL;
  for (const v of x) if (y.includes(v)) return 1;
  return 2;
}

function emailLevel(a: MatchRecord, b: MatchRecord): number {
  if (a.emails.length === 0 || b.emails.length === 0) return NULL_LEVEL;
  let best = 4;
  for (const x of a.emails) {
    for (const y of b.emails) {
      if (x.full === y.full) return 1;
      if (x.local === y.local) best = Math.min(best, 2);
      else if (best > 3 && jaroWinkler(x.local, y.local) >= 0.88) best = 3;
    }
  }
  return best;
}

const email: ComparisonSpec = {
  name: 'email',
  cheap: true,
  levels: ['null', 'exact', 'local part exact', 'local part jaro-winkler >= 0.88', 'else'],
  defaultM: [0.7, 0.1, 0.1, 0.1],
  defaultU: [0.0001, 0.0005, 0.002, 0.9974],
  scoredFor: (a) => a.emails.length > 0,
  level: emailLevel,
};

const phone: ComparisonSpec = {
  name: 'phone',
  cheap: true,
  levels: ['null', 'exact', 'else'],
  defaultM: [0.7, 0.3],
  defaultU: [0.0001, 0.9999],
  scoredFor: (a) => a.phones.length > 0,
  level: (a, b) => exactAnyLevel(a.phones, b.phones),
};

const sex: ComparisonSpec = {
  name: 'sex',
  cheap: true,
  levels: ['null', 'exact', 'else'],
  defaultM: [0.97, 0.03],
  defaultU: [0.5, 0.5],
  scoredFor: (a) => a.sex !== null,
  level: (a, b) => (a.sex === null || b.sex === null ? NULL_LEVEL : a.sex === b.sex ? 1 : 2),
};

function identifierLevel(scheme: IdentifierScheme, a: readonly IdentifierFeature[], b: readonly IdentifierFeature[]): number {
  let best = NULL_LEVEL;
  for (const x of a) {
    if (x.scheme !== scheme) continue;
    for (const y of b) {
      if (y.key !== x.key) continue;
      if (x.value === y.value) return 1;
      const level = withinOneEdit(x.value, y.value) ? 2 : 3;
      if (best === NULL_LEVEL || level < best) best = level;
    }
  }
  return best;
}

/** Identifier schemes with a national register behind them (checked, rarely wrong). */
const NATIONAL_SCHEMES: readonly IdentifierScheme[] = ['NHS', 'UPN', 'NI', 'PNC'];

function identifier(scheme: IdentifierScheme): ComparisonSpec {
  const national = NATIONAL_SCHEMES.includes(scheme);
  const bit = identifierSchemeBit(scheme);
  return {
    name: `identifier ${scheme}`,
    cheap: true,
    levels: ['null', 'exact', 'one character differs', 'else'],
    defaultM: national ? [0.95, 0.02, 0.03] : [0.9, 0.05, 0.05],
    fixedM: national,
    defaultU: [0.00001, 0.0001, 0.99989],
    scoredFor: (a) => (a.identifierSchemes & bit) !== 0,
    // most pairs lack the scheme on one side (six of these run for every candidate): say so without a loop
    level: (a, b) => ((a.identifierSchemes & b.identifierSchemes & bit) === 0 ? NULL_LEVEL : identifierLevel(scheme, a.identifiers, b.identifiers)),
  };
}

export const IDENTIFIER_SCHEMES: readonly IdentifierScheme[] = ['NHS', 'UPN', 'NI', 'PNC', 'LOCAL', 'OTHER'];

/** The one model configuration: every data set is scored with these comparisons. */
export const COMPARISONS: readonly ComparisonSpec[] = [
  givenName, familyName, dateOfBirth, sex, address, locality, email, phone,
  ...IDENTIFIER_SCHEMES.map(identifier),
  // Last, so that models stored before it existed keep their comparisons' positions.
  middleName,
];

export function comparisonNamed(name: string): ComparisonSpec | undefined {
  return COMPARISONS.find((c) => c.name === name);
}
