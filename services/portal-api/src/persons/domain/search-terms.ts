import type { PersonDetails, PersonName } from '@hub/contracts';

/** Lower case, accents and punctuation dropped, one space between words: how names are compared. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** UK postcodes compared without spaces, upper case ("l1 8jq" and "L18JQ" are one postcode). */
export function normalisePostcode(value: string): string {
  return value.toUpperCase().replace(/\s+/g, '');
}

/** `SCHEME:VALUE`, the value without spaces and upper case (NI numbers are written either way). */
export function identifierTerm(scheme: string, value: string): string {
  return `${scheme.toUpperCase()}:${value.replace(/\s+/g, '').toUpperCase()}`;
}

function nameText(name: PersonName): string {
  const parts = [...name.givenNames, name.familyName ?? ''].join(' ');
  return normaliseName(parts.trim() ? parts : (name.fullName ?? ''));
}

/** What a person is found by: every name it is known by, date of birth, postcodes, identifiers. */
export interface SearchColumns {
  names: string[];
  /** The names in one text, for trigram word similarity (a query matches its best extent). */
  nameText: string;
  dob: string | null;
  postcodes: string[];
  identifiers: string[];
}

export function searchColumnsOf(person: PersonDetails | null): SearchColumns {
  if (!person) return { names: [], nameText: '', dob: null, postcodes: [], identifiers: [] };
  const names = [...new Set([person.name, ...person.otherNames].map(nameText).filter(Boolean))];
  return {
    names,
    nameText: names.join(' | '),
    dob: person.dateOfBirth,
    postcodes: [...new Set(person.addresses.map((a) => a.postcode).filter((p): p is string => Boolean(p)).map(normalisePostcode))],
    identifiers: [...new Set(person.identifiers.map((i) => identifierTerm(i.scheme, i.value)))],
  };
}
