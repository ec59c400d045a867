import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';
import { cleanText } from './text';

/** Titles kept out of names: honorifics, professional and religious titles. */
const TITLES = new Map<string, string>([
  ['MR', 'Mr'], ['MRS', 'Mrs'], ['MS', 'Ms'], ['MISS', 'Miss'], ['MX', 'Mx'], ['MASTER', 'Master'], ['DR', 'Dr'], ['DOCTOR', 'Dr'],
  ['PROF', 'Prof'], ['PROFESSOR', 'Prof'], ['REV', 'Rev'], ['REVD', 'Rev'], ['REVEREND', 'Rev'], ['FR', 'Fr'], ['FATHER', 'Fr'],
  ['SR', 'Sr'], ['SISTER', 'Sr'], ['SIR', 'Sir'], ['DAME', 'Dame'], ['LADY', 'Lady'], ['LORD', 'Lord'], ['CLLR', 'Cllr'],
  ['CAPT', 'Capt'], ['RABBI', 'Rabbi'], ['IMAM', 'Imam'],
]);

/** Values that systems put where a name is not known; they must never make two records look alike. */
const PLACEHOLDERS = new Set([
  'UNKNOWN', 'UNK', 'NOT KNOWN', 'NOTKNOWN', 'NK', 'N/K', 'XXX', 'XX', 'X', 'ZZZ', 'ZZ', 'BABY', 'BABY BOY', 'BABY GIRL', 'TBC', 'TBA',
  'N/A', 'NONE', 'NULL', 'NIL', 'UNNAMED', 'NO NAME', 'NONAME', 'ANON', 'ANONYMOUS', 'NOT GIVEN', 'NOT STATED', 'REFUSED', 'TEST',
  '-', '?', '.', 'FNU', 'LNU',
]);
const PLACEHOLDER_PATTERN = /^(?:BABY OF\b|INFANT OF\b|TWIN [12AB]\b|(.)\1{2,}$)/;
/** Letters (any script), combining marks, and the punctuation that names really contain. */
const NAME_CHARACTERS = /^[\p{L}\p{M}' .-]+$/u;
const CURLY_APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const HAS_LOWER = /\p{Ll}/u;
const HAS_UPPER = /\p{Lu}/u;
const WORD_BOUNDARY_PARTS = /([ \-'])/;
const TRAILING_DOT = /\.$/;
const COMMA = ',';

/** Family-name particles that stay with the surname: "Jan van der Berg" has surname "van der Berg". */
const PARTICLES = new Set(['VAN', 'VON', 'DER', 'DEN', 'DE', 'DA', 'DI', 'DU', 'DEL', 'DELLA', 'LA', 'LE', 'ST', 'ST.', 'BIN', 'BINTI', 'IBN', 'AL', 'EL', 'AP']);
/** "Mac" is a prefix in MacDonald but part of the name in Mackie or Machin. */
const NOT_MAC_PREFIXED = new Set(['MACE', 'MACEY', 'MACHIN', 'MACK', 'MACKIE', 'MACKS', 'MACON', 'MACHO', 'MACIAS', 'MACHADO', 'MACKAY', 'MACIEJ', 'MACY', 'MACHELL', 'MACKIN', 'MACKLIN', 'MACRO']);

export function isPlaceholderName(name: string): boolean {
  const upper = name.toUpperCase();
  return PLACEHOLDERS.has(upper) || PLACEHOLDER_PATTERN.test(upper);
}

function capitaliseWord(word: string, previousSeparator: string, previousWord: string): string {
  if (word.length === 0) return word;
  const lower = word.toLowerCase();
  // O'Neill, D'Arcy: a one-letter prefix before an apostrophe; otherwise (Ng'ang'a) keep lower case after it.
  if (previousSeparator === "'" && previousWord.length > 1) return lower;
  if (lower.length > 2 && lower.startsWith('mc')) return 'Mc' + lower[2].toUpperCase() + lower.slice(3);
  if (lower.length > 4 && lower.startsWith('mac') && !NOT_MAC_PREFIXED.has(word.toUpperCase())) return 'Mac' + lower[3].toUpperCase() + lower.slice(4);
  return lower[0].toUpperCase() + lower.slice(1);
}

/**
 * Proper case for names that arrive all upper or all lower case ("O'NEILL" → "O'Neill",
 * "smith-jones" → "Smith-Jones", "MCDONALD" → "McDonald"). Mixed-case input is kept as it is:
 * the source knew better ("DeVito", "McKelvie", "van Dijk").
 */
export function properCaseName(name: string): string {
  if (HAS_LOWER.test(name) && HAS_UPPER.test(name)) return name;
  const parts = name.split(WORD_BOUNDARY_PARTS);
  let out = '';
  let separator = '';
  let previousWord = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 1) { separator = part; out += part; continue; }
    out += capitaliseWord(part, separator, previousWord);
    previousWord = part;
  }
  return out;
}

export interface CleanedName {
  /** The cleaned name, or null when nothing (or only a title) was left. */
  name: string | null;
  /** A title found at the start ("Mr"), in its usual spelling. */
  title: string | null;
}

function splitLeadingTitles(words: string[]): string | null {
  let title: string | null = null;
  while (words.length > 1) {
    const key = words[0].toUpperCase().replace(TRAILING_DOT, '');
    const canonical = TITLES.get(key);
    if (canonical === undefined) break;
    title = title === null ? canonical : title;
    words.shift();
  }
  return title;
}

/**
 * One name part (a forename, middle names or a surname): white space collapsed, curly
 * apostrophes straightened, a leading title taken out, case normalised. Fails with
 * PLACEHOLDER_NAME for "UNKNOWN", "BABY", "XXX"... and INVALID_NAME for digits, emoji or
 * other characters no name contains.
 */
export function cleanNamePart(raw: string): Checked<CleanedName> {
  const text = cleanText(raw).replace(CURLY_APOSTROPHES, "'");
  if (text.length === 0) return valid({ name: null, title: null });
  if (isPlaceholderName(text)) return invalid(REASON.PLACEHOLDER_NAME, 'a placeholder, not a name');
  if (!NAME_CHARACTERS.test(text)) return invalid(REASON.INVALID_NAME, 'a name has only letters, spaces, hyphens, apostrophes and full stops');
  const words = text.split(' ');
  const title = words.length > 1 ? splitLeadingTitles(words) : null;
  const rest = words.join(' ');
  if (title === null && TITLES.has(rest.toUpperCase().replace(TRAILING_DOT, ''))) return valid({ name: null, title: TITLES.get(rest.toUpperCase().replace(TRAILING_DOT, '')) ?? null });
  return valid({ name: properCaseName(rest), title });
}

export interface SplitName {
  title: string | null;
  givenNames: string[];
  familyName: string | null;
}

export type FullNameOrder = 'auto' | 'given-first' | 'family-first';

/**
 * Splits a full name: "SMITH, John Paul" (family name before a comma) and "John Paul Smith"
 * (family name last, with particles such as "van der" kept on it). 'family-first' reads
 * "SMITH John Paul" without a comma. Placeholder parts are dropped and reported.
 */
export function splitFullName(raw: string, order: FullNameOrder = 'auto'): Checked<SplitName> {
  const text = cleanText(raw).replace(CURLY_APOSTROPHES, "'");
  if (text.length === 0) return valid({ title: null, givenNames: [], familyName: null });
  if (isPlaceholderName(text)) return invalid(REASON.PLACEHOLDER_NAME, 'a placeholder, not a name');
  const comma = text.indexOf(COMMA);
  let familyPart: string;
  let givenPart: string;
  if (comma >= 0) {
    familyPart = text.slice(0, comma).trim();
    givenPart = text.slice(comma + 1).replace(/,/g, ' ').trim();
  } else {
    const words = text.split(' ');
    const title = splitLeadingTitles(words);
    if (order === 'family-first') {
      familyPart = words[0];
      givenPart = words.slice(1).join(' ');
    } else {
      let start = words.length - 1;
      while (start > 1 && PARTICLES.has(words[start - 1].toUpperCase())) start--;
      familyPart = words.slice(start).join(' ');
      givenPart = words.slice(0, start).join(' ');
    }
    if (title !== null) givenPart = `${title} ${givenPart}`;
  }
  const given = givenPart.length > 0 ? cleanNamePart(givenPart) : valid<CleanedName>({ name: null, title: null });
  const family = familyPart.length > 0 ? cleanNamePart(familyPart) : valid<CleanedName>({ name: null, title: null });
  if (!family.ok && !given.ok) return family;
  const givenNames = given.ok && given.value.name !== null ? given.value.name.split(' ') : [];
  const familyName = family.ok ? family.value.name : null;
  const title = given.ok ? given.value.title : null;
  if (!family.ok && givenNames.length === 0) return family;
  if (!given.ok && familyName === null) return given;
  return valid({ title, givenNames, familyName });
}
