import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

/** The DfE check-letter alphabet: no I, O or S, which are too easily misread. */
const UPN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';
const WHITESPACE = /\s+/g;
const UPN_SHAPE = /^[A-Z]\d{11}[0-9A-Z]$/;

/** Check letter of the 12 characters after it: weights 2..13, mod 23; a temporary UPN's final letter counts as its alphabet index. */
export function upnCheckLetter(lastTwelve: string): string | null {
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const code = lastTwelve.charCodeAt(i);
    let value: number;
    if (code >= 48 && code <= 57) value = code - 48;
    else {
      value = UPN_ALPHABET.indexOf(lastTwelve[i]);
      if (value < 0) return null;
    }
    sum += value * (i + 2);
  }
  return UPN_ALPHABET[sum % 23];
}

/** A Unique Pupil Number, permanent (13th character a digit) or temporary (a letter); upper-cased, spaces removed. */
export function normaliseUpn(raw: string): Checked<string> {
  const upn = raw.replace(WHITESPACE, '').toUpperCase();
  if (!UPN_SHAPE.test(upn)) return invalid(REASON.INVALID_UPN, 'a UPN is a letter, 11 digits and a digit or letter');
  const expected = upnCheckLetter(upn.slice(1));
  if (expected === null) return invalid(REASON.INVALID_UPN, 'a temporary UPN ends in a letter of the check alphabet (not I, O or S)');
  if (expected !== upn[0]) return invalid(REASON.INVALID_UPN, 'the UPN check letter does not match');
  return valid(upn);
}
