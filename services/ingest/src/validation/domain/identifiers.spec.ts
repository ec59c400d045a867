import { normaliseNhsNumber } from './nhs-number';
import { normaliseUpn, upnCheckLetter } from './upn';
import { normaliseNiNumber } from './ni-number';
import { normalisePncId } from './pnc-id';
import { normaliseUprn } from './uprn';
import { REASON } from './reason-codes';

describe('normaliseNhsNumber', () => {
  it('accepts a valid number with spaces or dashes', () => {
    expect(normaliseNhsNumber('943 476 5919')).toEqual({ ok: true, value: '9434765919' });
    expect(normaliseNhsNumber('943-476-5919')).toEqual({ ok: true, value: '9434765919' });
  });
  it('accepts check remainder 11 as check digit 0', () => {
    // 100 000 006: weighted sum 22, remainder 0, so the check is 11 → 0
    expect(normaliseNhsNumber('1000000060').ok).toBe(true);
  });
  it('rejects a wrong check digit', () => {
    expect(normaliseNhsNumber('9434765918')).toMatchObject({ ok: false, code: REASON.INVALID_NHS_NUMBER });
  });
  it('rejects a body whose check value would be 10', () => {
    // 000 000 006 → sum 6*2=12, 12 mod 11 = 1, 11-1 = 10
    expect(normaliseNhsNumber('0000000060')).toMatchObject({ ok: false, code: REASON.INVALID_NHS_NUMBER });
  });
  it('rejects wrong lengths, letters and a repeated digit', () => {
    for (const bad of ['943476591', '94347659190', '94347659A9', '', '0000000000']) expect(normaliseNhsNumber(bad).ok).toBe(false);
  });
  it('never echoes the value in its message', () => {
    const result = normaliseNhsNumber('9434765918');
    expect(!result.ok && result.message.includes('9434765918')).toBe(false);
  });
});

describe('normaliseUpn', () => {
  it('accepts the documented example', () => {
    expect(normaliseUpn('B801200005001')).toEqual({ ok: true, value: 'B801200005001' });
  });
  it('upper-cases and removes spaces', () => {
    expect(normaliseUpn(' b8012 00005001 ')).toEqual({ ok: true, value: 'B801200005001' });
  });
  it('rejects a wrong check letter', () => {
    expect(normaliseUpn('A801200005001')).toMatchObject({ ok: false, code: REASON.INVALID_UPN });
  });
  it('accepts a temporary UPN ending in a letter, counted by its alphabet index', () => {
    const body = '80120000500A';
    const upn = `${upnCheckLetter(body)}${body}`;
    expect(normaliseUpn(upn)).toEqual({ ok: true, value: upn });
  });
  it('rejects a temporary UPN ending in a letter outside the alphabet', () => {
    expect(normaliseUpn('A80120000500I').ok).toBe(false);
  });
  it('rejects wrong shapes', () => {
    for (const bad of ['B80120000500', 'B8012000050011', '8801200005001', '']) expect(normaliseUpn(bad).ok).toBe(false);
  });
});

describe('normaliseNiNumber', () => {
  it('normalises spacing and case, suffix optional', () => {
    expect(normaliseNiNumber('ab 12 34 56 c')).toEqual({ ok: true, value: 'AB123456C' });
    expect(normaliseNiNumber('AB123456')).toEqual({ ok: true, value: 'AB123456' });
  });
  it('rejects letters never used in a position', () => {
    for (const bad of ['DA123456A', 'FA123456A', 'AO123456A', 'QQ123456A', 'AV123456A']) {
      expect(normaliseNiNumber(bad)).toMatchObject({ ok: false, code: REASON.INVALID_NI_NUMBER });
    }
  });
  it('rejects never-allocated prefixes and bad suffixes', () => {
    for (const bad of ['BG123456A', 'GB123456A', 'NK123456A', 'KN123456A', 'TN123456A', 'NT123456A', 'ZZ123456A', 'AB123456E', 'AB12345A']) {
      expect(normaliseNiNumber(bad).ok).toBe(false);
    }
  });
});

describe('normalisePncId', () => {
  it('accepts a valid id and pads the serial', () => {
    expect(normalisePncId('13/0700004W')).toEqual({ ok: true, value: '13/0700004W' });
    expect(normalisePncId('2013/700004w')).toEqual({ ok: true, value: '13/0700004W' });
  });
  it('rejects a wrong check letter and wrong shapes', () => {
    expect(normalisePncId('13/0700004X')).toMatchObject({ ok: false, code: REASON.INVALID_PNC_ID });
    expect(normalisePncId('130700004W').ok).toBe(false);
    expect(normalisePncId('13/07000041').ok).toBe(false);
  });
});

describe('normaliseUprn', () => {
  it('accepts up to 12 digits and undoes spreadsheet damage', () => {
    expect(normaliseUprn('100012345678')).toEqual({ ok: true, value: '100012345678' });
    expect(normaliseUprn('9900001533.0')).toEqual({ ok: true, value: '9900001533' });
    expect(normaliseUprn('009900001533')).toEqual({ ok: true, value: '9900001533' });
  });
  it('rejects 13 digits, letters and zero', () => {
    for (const bad of ['1000123456789', '99A', '0', '', '1.5']) expect(normaliseUprn(bad)).toMatchObject({ ok: false, code: REASON.INVALID_UPRN });
  });
});
