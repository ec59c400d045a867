import {
  corruptCheck, isValidNhsNumber, isValidNiNumber, isValidPncId, isValidUpn, makePncId, makeUpn, nhsCheckDigit,
  NhsNumberAllocator, NiNumberAllocator, upnCheckLetter,
} from './identifiers';

describe('NHS numbers', () => {
  it('computes the mod-11 check digit', () => {
    // 943 476 591: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11-2 = 9
    expect(nhsCheckDigit('943476591')).toBe(9);
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });

  it('treats a check value of 10 as invalid and 11 as 0', () => {
    let ten = '';
    let eleven = '';
    for (let i = 0; i < 2000 && (!ten || !eleven); i++) {
      const body = String(999000000 + i);
      let sum = 0;
      for (let k = 0; k < 9; k++) sum += Number(body[k]) * (10 - k);
      if (11 - (sum % 11) === 10) ten = body;
      if (11 - (sum % 11) === 11) eleven = body;
    }
    expect(nhsCheckDigit(ten)).toBeNull();
    expect(nhsCheckDigit(eleven)).toBe(0);
  });

  it('allocates unique valid numbers in the 999 test range', () => {
    const a = new NhsNumberAllocator();
    const seen = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const n = a.next();
      expect(n.startsWith('999')).toBe(true);
      expect(isValidNhsNumber(n)).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(20000);
  });
});

describe('UPNs', () => {
  it('accepts the example from the domain notes', () => {
    expect(upnCheckLetter('801200005001')).toBe('B');
    expect(isValidUpn('B801200005001')).toBe(true);
    expect(isValidUpn('C801200005001')).toBe(false);
  });

  it('builds valid UPNs for Liverpool schools', () => {
    const upn = makeUpn(2001, 2012, 7);
    expect(upn).toMatch(/^[A-Z]3412001120{2}7$/);
    expect(isValidUpn(upn)).toBe(true);
  });
});

describe('NI numbers', () => {
  it('applies the prefix rules', () => {
    expect(isValidNiNumber('AB123456C')).toBe(true);
    expect(isValidNiNumber('AB123456')).toBe(true);
    expect(isValidNiNumber('DA123456A')).toBe(false);
    expect(isValidNiNumber('AO123456A')).toBe(false);
    expect(isValidNiNumber('TN123456A')).toBe(false);
    expect(isValidNiNumber('GB123456A')).toBe(false);
    expect(isValidNiNumber('AB123456E')).toBe(false);
  });

  it('allocates unique valid numbers', () => {
    const a = new NiNumberAllocator();
    const seen = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const n = a.next();
      expect(isValidNiNumber(n)).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(20000);
  });
});

describe(corruptCheck.name, () => {
  it('always breaks the check of a valid identifier', () => {
    const nhs = new NhsNumberAllocator();
    for (let i = 0; i < 500; i++) {
      expect(isValidNhsNumber(corruptCheck('nhs', nhs.next(), i))).toBe(false);
      expect(isValidUpn(corruptCheck('upn', makeUpn(2000 + (i % 50), 2010, i), i))).toBe(false);
      expect(isValidPncId(corruptCheck('pnc', makePncId(2015, 100000 + i), i))).toBe(false);
      expect(isValidNiNumber(corruptCheck('ni', 'AB123456C', i))).toBe(false);
    }
  });
});
