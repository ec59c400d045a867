import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

/** Printable ASCII needs no Unicode normalisation, and most source text is exactly that: the fast path. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const RUNS_OF_SPACE = /\s{2,}|[\t\n\r\f\v]/g;
/** Control characters, zero-width characters and the byte-order mark carry nothing a person meant to type. */
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;
const NO_BREAK_SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;

/**
 * Trims, collapses runs of white space to one space, drops invisible characters and puts text
 * in Unicode NFC, so that "é" typed as e + combining accent equals the precomposed "é".
 * Emoji and other symbols survive; whether they are acceptable is the field's rule.
 */
export function cleanText(raw: string): string {
  if (PRINTABLE_ASCII.test(raw)) {
    const trimmed = raw.trim();
    return trimmed.indexOf('  ') < 0 ? trimmed : trimmed.replace(RUNS_OF_SPACE, ' ');
  }
  return raw
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(NO_BREAK_SPACES, ' ')
    .replace(RUNS_OF_SPACE, ' ')
    .trim();
}

export type LengthAction = 'truncate' | 'reject';

/**
 * Caps a value's length in characters (code points), never cutting a surrogate pair in half.
 * 'truncate' keeps the head and reports the cut; 'reject' fails the field.
 */
export function capLength(text: string, maxLength: number, action: LengthAction): Checked<string> & { truncated?: boolean } {
  // .length counts UTF-16 units, an upper bound on code points: most values stop here.
  if (text.length <= maxLength) return valid(text);
  const codePoints = Array.from(text);
  if (codePoints.length <= maxLength) return valid(text);
  if (action === 'reject') return invalid(REASON.FIELD_TOO_LONG, `the value is longer than ${maxLength} characters`);
  return { ok: true, value: codePoints.slice(0, maxLength).join(''), truncated: true };
}
