import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

const WHITESPACE = /\s+/g;
const NI_SHAPE = /^([A-Z])([A-Z])(\d{6})([A-D]?)$/;
const NOT_FIRST = 'DFIQUV';
const NOT_SECOND = 'DFIOQUV';
const NEVER_ALLOCATED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** "ab 12 34 56 c" becomes "AB123456C"; the suffix may be missing. NI numbers have no check digit, only prefix rules. */
export function normaliseNiNumber(raw: string): Checked<string> {
  const ni = raw.replace(WHITESPACE, '').toUpperCase();
  const m = NI_SHAPE.exec(ni);
  if (!m) return invalid(REASON.INVALID_NI_NUMBER, 'an NI number is 2 letters, 6 digits and an optional suffix A-D');
  if (NOT_FIRST.includes(m[1]) || NOT_SECOND.includes(m[2])) return invalid(REASON.INVALID_NI_NUMBER, 'the NI number prefix uses a letter never issued in that position');
  if (NEVER_ALLOCATED.has(m[1] + m[2])) return invalid(REASON.INVALID_NI_NUMBER, 'the NI number prefix is never allocated');
  return valid(ni);
}
