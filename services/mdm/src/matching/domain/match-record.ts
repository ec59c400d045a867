/**
 * The matcher's view of a person: features cleaned and derived once, when the record arrives,
 * so that comparing it with fifty candidates is only lookups and short string measures.
 * Every value is capped (length and count): absurd input costs no more than ordinary input.
 */
import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import { type Identifier, IdentifierSchemeValues, type PersonDetails } from '@hub/contracts';
import { NameTables, NO_NAME_TABLES } from './name-tables';
import { NO_FIXED_ABODE_POSTCODE, PLACEHOLDER_DATES_OF_BIRTH } from './placeholders';

export interface FeatureLimits {
  /** Characters kept of a cleaned name (given or family). */
  maxNameLength: number;
  /** Characters kept of an address line, locality, e-mail, identifier or phone. */
  maxValueLength: number;
  /** Values kept of each repeated field (addresses, e-mails, phones, identifiers, given names). */
  maxValuesPerField: number;
  /** Dates of birth outside these years are treated as missing (1066 is a typo or a placeholder). */
  minBirthYear: number;
  maxBirthYear: number;
}

export const DEFAULT_FEATURE_LIMITS: FeatureLimits = {
  maxNameLength: 100,
  maxValueLength: 100,
  maxValuesPerField: 8,
  minBirthYear: 1880,
  maxBirthYear: 2100,
};

export interface DateOfBirthFeature {
  /** YYYYMMDD, for edit-distance levels. */
  readonly digits: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface PostcodeFeature {
  /** Upper case without spaces. */
  readonly full: string;
  /** UK only: outward code plus the first digit of the inward code ("L17 8"). */
  readonly sector: string | null;
  /** UK only: the outward code ("L17"). */
  readonly district: string | null;
}

export interface StreetFeature {
  /** The leading house number of the first line, if any ("12a" -> "12a"). */
  readonly houseNumber: string | null;
  /** The first line without its house number. */
  readonly street: string | null;
}

export interface EmailFeature {
  readonly full: string;
  readonly local: string;
}

export interface IdentifierFeature {
  /** Scheme, with the issuer for LOCAL and OTHER ids (two local systems' ids are not comparable). */
  readonly key: string;
  readonly scheme: Identifier['scheme'];
  readonly value: string;
}

export interface MatchRecord {
  readonly id: string;
  readonly source: string;
  readonly givenName: string | null;
  /** Further given names (middle names). */
  readonly otherGivenNames: readonly string[];
  readonly familyName: string | null;
  /** Family names under otherNames (maiden or previous names). */
  readonly otherFamilyNames: readonly string[];
  /** Double Metaphone primary and alternate codes. */
  readonly givenPhonetic: readonly string[];
  readonly familyPhonetic: readonly string[];
  /** Nicknames and variants of the given name, from the name tables. */
  readonly givenEquivalents: readonly string[];
  readonly familyEquivalents: readonly string[];
  readonly dateOfBirth: DateOfBirthFeature | null;
  /**
   * The same date as the number YYYYMMDD, 0 when unknown: a candidate's date is compared from
   * the record itself, without a read of the shared date object elsewhere in memory (at a
   * city's scale most such reads miss the processor's caches).
   */
  readonly birthDate: number;
  readonly sex: 'M' | 'F' | null;
  readonly postcodes: readonly PostcodeFeature[];
  readonly streets: readonly StreetFeature[];
  readonly localities: readonly string[];
  readonly uprns: readonly string[];
  readonly emails: readonly EmailFeature[];
  readonly phones: readonly string[];
  readonly identifiers: readonly IdentifierFeature[];
  /** One bit per scheme among `identifiers` (`identifierSchemeBit`): a comparison of a scheme that one of two records lacks stops at once. */
  readonly identifierSchemes: number;
}

/** The bit of a scheme in `MatchRecord.identifierSchemes`. */
export function identifierSchemeBit(scheme: Identifier['scheme']): number {
  return 1 << IdentifierSchemeValues.indexOf(scheme);
}

export interface FeatureOptions {
  limits?: FeatureLimits;
  names?: NameTables;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower-case a-z only: accents folded, everything else (digits, emoji, punctuation) dropped. */
export function cleanName(raw: string | null | undefined, maxLength: number): string | null {
  if (!raw) return null;
  // Cut before normalising so that a megabyte of input costs no more than the cap.
  const cleaned = raw.slice(0, maxLength * 4).normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(/[^a-z]/g, '');
  return cleaned ? cleaned.slice(0, maxLength) : null;
}

/** Lower-case words of letters and digits, single spaces. */
export function cleanText(raw: string | null | undefined, maxLength: number): string | null {
  if (!raw) return null;
  const cleaned = raw
    .slice(0, maxLength * 4)
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return cleaned ? cleaned.slice(0, maxLength) : null;
}

/**
 * A value kept by key, up to a bound: names, places and postcodes repeat (a city has tens of
 * thousands of them, not millions), so each is derived and held once. Full, the cache starts
 * again rather than grow: absurd input cannot make it hold more.
 */
function remembered<K, V>(cache: Map<K, V>, limit: number, key: K, make: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = make();
  if (cache.size >= limit) cache.clear();
  cache.set(key, value);
  return value;
}

const phoneticMemo = new Map<string, readonly string[]>();
const PHONETIC_MEMO_LIMIT = 100_000;

export function phoneticCodes(name: string | null): readonly string[] {
  if (!name) return [];
  return remembered(phoneticMemo, PHONETIC_MEMO_LIMIT, name, () => {
    const [primary, alternate] = doubleMetaphone(name);
    return !primary ? [] : alternate && alternate !== primary ? [primary, alternate] : [primary];
  });
}

const UK_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])([A-Z]{2})$/;

export function postcodeFeature(raw: string | null | undefined, maxLength: number): PostcodeFeature | null {
  if (!raw) return null;
  const full = raw.slice(0, maxLength * 4).toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, maxLength);
  // Everyone of no fixed abode shares it: no evidence of being one person.
  if (!full || full === NO_FIXED_ABODE_POSTCODE) return null;
  const uk = UK_POSTCODE.exec(full);
  return uk ? { full, sector: `${uk[1]} ${uk[2]}`, district: uk[1] } : { full, sector: null, district: null };
}

const DOB = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dateOfBirthFeature(raw: string | null | undefined, limits: FeatureLimits): DateOfBirthFeature | null {
  if (!raw || raw.length > 10 || PLACEHOLDER_DATES_OF_BIRTH.has(raw)) return null;
  const m = DOB.exec(raw);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < limits.minBirthYear || year > limits.maxBirthYear) return null;
  // Month and day are not validated further: a corrupted "1971-13-02" still carries evidence.
  return { digits: m[1] + m[2] + m[3], year, month: Number(m[2]), day: Number(m[3]) };
}

function streetFeature(lines: readonly string[], maxLength: number): StreetFeature | null {
  const first = cleanText(lines.find((l) => l && l.trim()), maxLength);
  if (!first) return null;
  const numbered = /^(\d+[a-z]?)\s*(.*)$/.exec(first);
  if (!numbered) return { houseNumber: null, street: first };
  return { houseNumber: numbered[1], street: numbered[2] ? numbered[2].replace(/ /g, '') : null };
}

function phoneDigits(raw: string, maxLength: number): string | null {
  let digits = raw.slice(0, maxLength).replace(/[^0-9]/g, '');
  if (digits.startsWith('44')) digits = '0' + digits.slice(2);
  // The last ten digits survive every way of writing the trunk or country prefix.
  digits = digits.slice(-10);
  return digits.length >= 6 ? digits : null;
}

function unique<T>(values: Array<T | null>, limit: number, keyOf: (v: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const v of values) {
    if (v === null) continue;
    const k = keyOf(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
    if (out.length >= limit) break;
  }
  return out;
}

const byItself = (s: string): string => s;

/**
 * Held for every record of the index (millions at a city's scale), so what repeats is shared:
 * one empty list for every empty field, one list for each single value, one copy of each
 * name, place, postcode, street, date of birth, identifier, e-mail and phone. A person's
 * records, and a household's, repeat most of these. Fewer objects is less for the garbage
 * collector to trace, which at a city's scale is what limits mdm. Features are read-only, so
 * sharing cannot leak a change from one record to another.
 */
const NONE: readonly never[] = Object.freeze([]);
const SHARED_LIMIT = 200_000;
const sharedLists = new Map<unknown, readonly unknown[]>();
function asList<T>(values: readonly T[]): readonly T[] {
  if (values.length === 0) return NONE;
  if (values.length > 1) return values;
  const only = values[0];
  return remembered(sharedLists, SHARED_LIMIT, only, () => values) as readonly T[];
}

const sharedStrings = new Map<string, string>();
const shared = (value: string | null): string | null => (value === null ? null : remembered(sharedStrings, SHARED_LIMIT, value, () => value));
const sharedPostcodes = new Map<string, PostcodeFeature>();
const sharedPostcode = (feature: PostcodeFeature | null): PostcodeFeature | null =>
  feature === null ? null : remembered(sharedPostcodes, SHARED_LIMIT, feature.full, () => feature);
const sharedStreets = new Map<string, StreetFeature>();
const sharedStreet = (feature: StreetFeature | null): StreetFeature | null =>
  feature === null ? null : remembered(sharedStreets, SHARED_LIMIT, `${feature.houseNumber ?? ''}|${feature.street ?? ''}`, () => feature);
const sharedDates = new Map<string, DateOfBirthFeature>();
const sharedDate = (feature: DateOfBirthFeature | null): DateOfBirthFeature | null =>
  feature === null ? null : remembered(sharedDates, SHARED_LIMIT, feature.digits, () => feature);
const sharedIdentifiers = new Map<string, IdentifierFeature>();
const sharedIdentifier = (feature: IdentifierFeature | null): IdentifierFeature | null =>
  feature === null ? null : remembered(sharedIdentifiers, SHARED_LIMIT, `${feature.key}=${feature.value}`, () => feature);
const sharedEmails = new Map<string, EmailFeature>();
const sharedEmail = (feature: EmailFeature | null): EmailFeature | null =>
  feature === null ? null : remembered(sharedEmails, SHARED_LIMIT, feature.full, () => feature);

/** Derives the comparison features of one person. Pure; never throws on odd input. */
export function toMatchRecord(id: string, source: string, person: PersonDetails, options: FeatureOptions = {}): MatchRecord {
  const limits = options.limits ?? DEFAULT_FEATURE_LIMITS;
  const tables = options.names ?? NO_NAME_TABLES;
  const maxValues = limits.maxValuesPerField;
  const name = person.name ?? { givenNames: [], familyName: null, fullName: null, title: null };
  let givenRaw = (name.givenNames ?? []).slice(0, maxValues);
  let familyRaw = name.familyName;
  if (givenRaw.length === 0 && !familyRaw && name.fullName) {
    // Only a full name: the last word is taken as the family name, the rest as given names.
    const words = name.fullName.slice(0, limits.maxNameLength * 4).trim().split(/\s+/).slice(0, maxValues + 1);
    familyRaw = words.length > 1 ? words[words.length - 1] : null;
    givenRaw = words.length > 1 ? words.slice(0, -1) : words;
  }
  // A given-names entry may itself hold several names ("mary anne").
  const givenNames = unique(
    givenRaw.flatMap((g) => (g ?? '').slice(0, limits.maxNameLength * 4).split(/[\s-]+/)).map((g) => cleanName(g, limits.maxNameLength)),
    maxValues,
    byItself,
  );
  const givenName = givenNames[0] ?? null;
  const familyName = cleanName(familyRaw, limits.maxNameLength);
  const otherFamilyNames = unique(
    (person.otherNames ?? []).slice(0, maxValues).map((n) => cleanName(n.familyName, limits.maxNameLength)),
    maxValues,
    byItself,
  ).filter((n) => n !== familyName);

  const addresses = (person.addresses ?? []).slice(0, maxValues);
  const identifiers = unique(
    (person.identifiers ?? []).slice(0, maxValues).map((i): IdentifierFeature | null => {
      const value = (i.value ?? '').slice(0, limits.maxValueLength).toUpperCase().replace(/[^A-Z0-9]/g, '');
      if (!value) return null;
      const issuer = i.scheme === 'LOCAL' || i.scheme === 'OTHER' ? `:${(i.issuer ?? '').slice(0, limits.maxValueLength)}` : '';
      return sharedIdentifier({ key: i.scheme + issuer, scheme: i.scheme, value });
    }),
    maxValues,
    (i) => `${i.key}=${i.value}`,
  );

  const dateOfBirth = sharedDate(dateOfBirthFeature(person.dateOfBirth, limits));
  return {
    id,
    source,
    givenName: shared(givenName),
    otherGivenNames: asList(givenNames.slice(1).map((n) => shared(n) as string)),
    familyName: shared(familyName),
    otherFamilyNames: asList(otherFamilyNames.map((n) => shared(n) as string)),
    givenPhonetic: phoneticCodes(givenName),
    familyPhonetic: phoneticCodes(familyName),
    givenEquivalents: givenName ? (tables.given.get(givenName) ?? NONE) : NONE,
    familyEquivalents: familyName ? (tables.family.get(familyName) ?? NONE) : NONE,
    dateOfBirth,
    birthDate: dateOfBirth === null ? 0 : dateOfBirth.year * 10_000 + dateOfBirth.month * 100 + dateOfBirth.day,
    sex: person.sex === 'MALE' ? 'M' : person.sex === 'FEMALE' ? 'F' : null,
    postcodes: asList(unique(addresses.map((a) => sharedPostcode(postcodeFeature(a.postcode, limits.maxValueLength))), maxValues, (p) => p.full)),
    streets: asList(unique(addresses.map((a) => sharedStreet(streetFeature(a.lines ?? [], limits.maxValueLength))), maxValues, (s) => `${s.houseNumber}|${s.street}`)),
    localities: asList(unique(addresses.map((a) => shared(cleanName(a.locality, limits.maxValueLength))), maxValues, byItself)),
    uprns: asList(unique(addresses.map((a) => shared(a.uprn ? a.uprn.slice(0, 12).replace(/[^0-9]/g, '') || null : null)), maxValues, byItself)),
    emails: asList(unique(
      (person.emails ?? []).slice(0, maxValues).map((e): EmailFeature | null => {
        const full = (e ?? '').slice(0, limits.maxValueLength).trim().toLowerCase();
        const at = full.indexOf('@');
        return at > 0 ? sharedEmail({ full, local: full.slice(0, at) }) : null;
      }),
      maxValues,
      (e) => e.full,
    )),
    phones: asList(unique((person.phones ?? []).slice(0, maxValues).map((p) => shared(phoneDigits(p ?? '', limits.maxValueLength))), maxValues, byItself)),
    identifiers: asList(identifiers),
    identifierSchemes: identifiers.reduce((bits, i) => bits | identifierSchemeBit(i.scheme), 0),
  };
}
