import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

const UPRN_SHAPE = /^0*(\d{1,12})(?:\.0+)?$/;

/** Numeric, at most 12 digits. Spreadsheets turn "100012345678" into "100012345678.0" or pad it with zeros, so both are undone. */
export function normaliseUprn(raw: string): Checked<string> {
  const m = UPRN_SHAPE.exec(raw.trim());
  if (!m) return invalid(REASON.INVALID_UPRN, 'a UPRN is a number of at most 12 digits');
  if (m[1] === '0') return invalid(REASON.INVALID_UPRN, 'a UPRN is never 0');
  return valid(m[1]);
}
