import { Checked, invalid, valid } from './checked';
import { REASON } from './reason-codes';

const SEPARATORS = /[\s-]+/g;
const TEN_DIGITS = /^\d{10}$/;
const ONE_DIGIT_REPEATED = /^(\d)\1{9}$/;

/** Modulus-11 check digit of the first nine digits; null when the remainder makes the number unusable (check value 10). */
export function nhsCheckDigit(firstNine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (firstNine.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** "943 476 5919" and "943-476-5919" become "9434765919"; the modulus-11 check must hold. */
export function normaliseNhsNumber(raw: string): Checked<string> {
  const digits = raw.replace(SEPARATORS, '');
  if (!TEN_DIGITS.test(digits)) return invalid(REASON.INVALID_NHS_NUMBER, 'an NHS number has 10 digits');
  // 0000000000 passes modulus 11 but is a common "not known" filler, never an issued number.
  if (ONE_DIGIT_REPEATED.test(digits)) return invalid(REASON.INVALID_NHS_NUMBER, 'an NHS number is not one digit repeated');
  const check = nhsCheckDigit(digits);
  if (check === null) return invalid(REASON.INVALID_NHS_NUMBER, 'no NHS number has this body (its check value would be 10)');
  if (check !== digits.charCodeAt(9) - 48) return invalid(REASON.INVALID_NHS_NUMBER, 'the NHS number check digit does not match');
  return valid(digits);
}
