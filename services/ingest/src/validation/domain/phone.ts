import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

const PUNCTUATION = /[\s().\-/]+/g;
const EXTENSION = /(?:ext\.?|x|#)\s*\d{1,6}$/i;
const DIGITS = /^\d+$/;
const TRUNK_ZERO_IN_BRACKETS = /^\+44\s*\(0\)/;

/**
 * UK numbers to E.164 ("07700 900123" → "+447700900123"); other countries' numbers given
 * with + or 00 are kept in E.164 if their length is possible. UK national numbers are 10
 * digits after the trunk 0 (9 for a few old area codes) and never start 0, 4 or 6 after it.
 */
export function normalisePhone(raw: string): Checked<string> {
  let text = raw.trim().replace(EXTENSION, '').replace(TRUNK_ZERO_IN_BRACKETS, '+44');
  text = text.replace(PUNCTUATION, '');
  let international: string;
  if (text.startsWith('+')) international = text.slice(1);
  else if (text.startsWith('00')) international = text.slice(2);
  else if (text.startsWith('0')) international = '44' + text.slice(1);
  else if (text.startsWith('44') && text.length === 12) international = text;
  else if (text.length === 10 && text[0] === '7') international = '44' + text; // a mobile written without its 0
  else return invalid(REASON.INVALID_PHONE, 'a phone number starts with 0, +, or 00');
  if (!DIGITS.test(international)) return invalid(REASON.INVALID_PHONE, 'a phone number has only digits after the + sign');
  if (international.startsWith('44')) {
    const national = international.slice(2);
    if (national.length < 9 || national.length > 10) return invalid(REASON.INVALID_PHONE, 'a UK number has 10 digits after the 0');
    const first = national[0];
    if (first === '0' || first === '4' || first === '6') return invalid(REASON.INVALID_PHONE, 'no UK number starts with 00, 04 or 06');
    if (national.length === 9 && first !== '1') return invalid(REASON.INVALID_PHONE, 'only some geographic UK numbers have 9 digits after the 0');
    return valid(`+44${national}`);
  }
  if (international.length < 8 || international.length > 15 || international[0] === '0') return invalid(REASON.INVALID_PHONE, 'an international number has 8 to 15 digits');
  return valid(`+${international}`);
}
