/**
 * National and local identifiers: generation of valid values, validation, and corruption of
 * check characters. The rules are those in shared/domain.md; PNC ids use the widely documented
 * mod-23 check character.
 */

export function nhsCheckDigit(nine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nine.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function isValidNhsNumber(s: string): boolean {
  const digits = s.replace(/\s+/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  const check = nhsCheckDigit(digits.slice(0, 9));
  return check !== null && check === digits.charCodeAt(9) - 48;
}

/**
 * Allocates unique valid NHS numbers in the 999 test range, so nobody can mistake the data for
 * real. The 6 free digits are walked in a fixed permuted order; bodies with check 10 are skipped.
 */
export class NhsNumberAllocator {
  private i = 0;
  next(): string {
    for (;;) {
      if (this.i >= 1_000_000) throw new Error('NHS test range exhausted (about 909,000 valid numbers)');
      const body = '999' + String((this.i++ * 7919 + 104729) % 1_000_000).padStart(6, '0');
      const check = nhsCheckDigit(body);
      if (check !== null) return body + check;
    }
  }
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

export function upnCheckLetter(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const c = twelve[i];
    const v = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : UPN_LETTERS.indexOf(c);
    sum += v * (i + 2);
  }
  return UPN_LETTERS[sum % 23];
}

export function isValidUpn(s: string): boolean {
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(s)) return false;
  return upnCheckLetter(s.slice(1)) === s[0];
}

/** Liverpool's DfE local-authority number. */
export const LIVERPOOL_LA = '341';

export function makeUpn(establishment: number, year: number, serial: number): string {
  const body = LIVERPOOL_LA + String(establishment).padStart(4, '0') + String(year % 100).padStart(2, '0') + String(serial % 1000).padStart(3, '0');
  return upnCheckLetter(body) + body;
}

const NI_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NI_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const NI_BANNED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

export function isValidNiNumber(s: string): boolean {
  const m = /^([A-Z])([A-Z])(\d{6})([A-D])?$/.exec(s.replace(/\s+/g, ''));
  if (!m) return false;
  return NI_FIRST.includes(m[1]) && NI_SECOND.includes(m[2]) && !NI_BANNED.has(m[1] + m[2]);
}

export const NI_PREFIXES: readonly string[] = (() => {
  const out: string[] = [];
  for (const a of NI_FIRST) for (const b of NI_SECOND) if (!NI_BANNED.has(a + b)) out.push(a + b);
  return out;
})();

/** Unique NI numbers: the counter walks prefixes and a permuted 6-digit body. */
export class NiNumberAllocator {
  private i = 0;
  next(): string {
    const n = this.i++;
    const prefix = NI_PREFIXES[(n * 37 + 11) % NI_PREFIXES.length];
    const body = String((n * 104723 + 13) % 1_000_000).padStart(6, '0');
    return prefix + body + 'ABCD'[n % 4];
  }
}

const PNC_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

export function pncCheckChar(year2: string, serial7: string): string {
  return PNC_LETTERS[Number(year2 + serial7) % 23];
}

export function makePncId(year: number, serial: number): string {
  const yy = String(year % 100).padStart(2, '0');
  const ss = String(serial).padStart(7, '0');
  return `${yy}/${ss}${pncCheckChar(yy, ss)}`;
}

export function isValidPncId(s: string): boolean {
  const m = /^(\d{2})\/(\d{7})([A-Z])$/.exec(s);
  return !!m && pncCheckChar(m[1], m[2]) === m[3];
}

/** Synthetic UPRNs: a block starting 99, well away from Liverpool's real 38xxxxxxxxx range. */
export function makeUprn(index: number): string {
  return String(9_900_000_000 + index);
}

export type IdKind = 'nhs' | 'upn' | 'ni' | 'pnc';

/** Same identifier with a wrong check character (NI numbers, which have none, get a never-issued prefix). */
export function corruptCheck(kind: IdKind, value: string, pick: number): string {
  switch (kind) {
    case 'nhs': {
      const good = value.charCodeAt(9) - 48;
      const bad = (good + 1 + (pick % 9)) % 10;
      return value.slice(0, 9) + bad;
    }
    case 'upn': {
      const i = UPN_LETTERS.indexOf(value[0]);
      return UPN_LETTERS[(i + 1 + (pick % 22)) % 23] + value.slice(1);
    }
    case 'pnc': {
      const i = PNC_LETTERS.indexOf(value[value.length - 1]);
      return value.slice(0, -1) + PNC_LETTERS[(i + 1 + (pick % 22)) % 23];
    }
    case 'ni': {
      const banned = ['TN', 'NT', 'GB', 'BG', 'KN', 'NK', 'ZZ', 'QQ', 'DA', 'FX'];
      return banned[pick % banned.length] + value.slice(2);
    }
    default: { const never: never = kind; throw new Error(`unknown id kind ${String(never)}`); }
  }
}

export function isValidId(kind: IdKind, value: string): boolean {
  switch (kind) {
    case 'nhs': return isValidNhsNumber(value);
    case 'upn': return isValidUpn(value);
    case 'ni': return isValidNiNumber(value);
    case 'pnc': return isValidPncId(value);
    default: { const never: never = kind; throw new Error(`unknown id kind ${String(never)}`); }
  }
}
