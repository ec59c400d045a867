import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

export type PostcodeRule = 'uk' | 'any';

const SPACES = /\s+/g;
/**
 * The Royal Mail format: outward code (area, district, optional sub-district letter), inward
 * code (sector digit, unit letters). Letters that are never used in a position are excluded,
 * so "QX1 1AA" or "L1 1CI" fail as typing errors rather than pass as unknown postcodes.
 */
const UK_POSTCODE =
  /^(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)([0-9][ABD-HJLNP-UW-Z]{2})$/;
/** NHS pseudo-postcodes (ZZ99 3VZ: no fixed abode, ZZ99 3WZ: not known...) mean "no postcode". */
const NHS_PSEUDO_POSTCODE = /^ZZ99[0-9][A-Z]{2}$/;
const ANY_POSTCODE = /^[A-Z0-9][A-Z0-9 -]{1,9}$/;

/** A UK postcode, upper case with a single space before the inward code: "l1  1hz" becomes "L1 1HZ". */
export function normaliseUkPostcode(raw: string): Checked<string> {
  const compact = raw.replace(SPACES, '').toUpperCase();
  if (NHS_PSEUDO_POSTCODE.test(compact)) return invalid(REASON.PLACEHOLDER_POSTCODE, 'a ZZ99 pseudo-postcode stands for no known postcode');
  if (compact === 'GIR0AA') return valid('GIR 0AA');
  if (!UK_POSTCODE.test(compact)) return invalid(REASON.INVALID_POSTCODE, 'not a UK postcode');
  return valid(`${compact.slice(0, -3)} ${compact.slice(-3)}`);
}

/** For feeds outside the UK (FEBRL's Australian 4-digit codes): only tidied, never judged by UK rules. */
export function normaliseAnyPostcode(raw: string): Checked<string> {
  const tidy = raw.trim().replace(SPACES, ' ').toUpperCase();
  if (!ANY_POSTCODE.test(tidy)) return invalid(REASON.INVALID_POSTCODE, 'a postcode is 2 to 10 letters, digits, spaces or hyphens');
  return valid(tidy);
}

export function normalisePostcode(raw: string, rule: PostcodeRule): Checked<string> {
  return rule === 'uk' ? normaliseUkPostcode(raw) : normaliseAnyPostcode(raw);
}
