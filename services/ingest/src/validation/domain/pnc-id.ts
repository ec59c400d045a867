import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

/**
 * The Police National Computer id check character: the year's last two digits followed by the
 * serial padded to 7 digits, read as one number, mod 23, indexes this alphabet. This is the
 * widely published rule (the synthetic data uses the same one); PNC's own specification is not
 * public, so an id that fails only the check is a doubt rather than a certainty.
 */
const PNC_ALPHABET = 'ZABCDEFGHJKLMNPQRTUVWXY';
const WHITESPACE = /\s+/g;
const PNC_SHAPE = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/;

export function pncCheckCharacter(year2: string, serial7: string): string {
  // At most 9 digits: exact in a double.
  return PNC_ALPHABET[Number(year2 + serial7) % 23];
}

/** "2013/700004W" and "13/0700004w" both become "13/0700004W" (2-digit year, 7-digit serial). */
export function normalisePncId(raw: string): Checked<string> {
  const m = PNC_SHAPE.exec(raw.replace(WHITESPACE, '').toUpperCase());
  if (!m) return invalid(REASON.INVALID_PNC_ID, 'a PNC id is YY/NNNNNNN followed by a check letter');
  const year2 = m[1].length === 4 ? m[1].slice(2) : m[1];
  const serial = m[2].padStart(7, '0');
  if (pncCheckCharacter(year2, serial) !== m[3]) return invalid(REASON.INVALID_PNC_ID, 'the PNC id check letter does not match');
  return valid(`${year2}/${serial}${m[3]}`);
}
