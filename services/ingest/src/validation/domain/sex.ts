import type { Sex } from '@hub/contracts';
import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

/** NHS Data Dictionary person stated gender codes (1, 2, 0, 9) and the letters and words sources use. */
const SEX_CODES = new Map<string, Sex>([
  ['M', 'MALE'], ['MALE', 'MALE'], ['1', 'MALE'], ['BOY', 'MALE'], ['MAN', 'MALE'],
  ['F', 'FEMALE'], ['FEMALE', 'FEMALE'], ['2', 'FEMALE'], ['GIRL', 'FEMALE'], ['WOMAN', 'FEMALE'],
  ['0', 'NOT_KNOWN'], ['U', 'NOT_KNOWN'], ['UNKNOWN', 'NOT_KNOWN'], ['NOT KNOWN', 'NOT_KNOWN'], ['N/K', 'NOT_KNOWN'], ['NK', 'NOT_KNOWN'],
  ['9', 'NOT_SPECIFIED'], ['X', 'NOT_SPECIFIED'], ['I', 'NOT_SPECIFIED'], ['INDETERMINATE', 'NOT_SPECIFIED'], ['NOT SPECIFIED', 'NOT_SPECIFIED'],
  ['NOT_KNOWN', 'NOT_KNOWN'], ['NOT_SPECIFIED', 'NOT_SPECIFIED'],
]);

/** Null for an empty value (nothing recorded); INVALID_SEX for a code no table knows. */
export function normaliseSex(raw: string): Checked<Sex | null> {
  const key = raw.trim().toUpperCase();
  if (key.length === 0) return valid(null);
  const sex = SEX_CODES.get(key);
  return sex === undefined ? invalid(REASON.INVALID_SEX, 'not a known sex code') : valid(sex);
}
