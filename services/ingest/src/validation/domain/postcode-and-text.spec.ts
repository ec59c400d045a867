import { normaliseAnyPostcode, normaliseUkPostcode } from './postcode';
import { capLength, cleanText } from './text';
import { REASON } from './reason-codes';

describe('normaliseUkPostcode', () => {
  it.each([['l1  1hz', 'L1 1HZ'], ['L141BZ', 'L14 1BZ'], ['sw1a1aa', 'SW1A 1AA'], ['EC1A 1BB', 'EC1A 1BB'], ['W1A 0AX', 'W1A 0AX'], ['gir0aa', 'GIR 0AA']])('%s → %s', (raw, expected) =>
    expect(normaliseUkPostcode(raw)).toEqual({ ok: true, value: expected }),
  );
  it.each(['2119', 'L1', 'QX1 1AA', 'L1 1CI', 'LL1 1HZZ', '', 'L1 1H€'])('rejects %s', (raw) =>
    expect(normaliseUkPostcode(raw)).toMatchObject({ ok: false, code: REASON.INVALID_POSTCODE }),
  );
  it('reports NHS pseudo-postcodes as placeholders', () => {
    expect(normaliseUkPostcode('ZZ99 3VZ')).toMatchObject({ ok: false, code: REASON.PLACEHOLDER_POSTCODE });
  });
});

describe('normaliseAnyPostcode', () => {
  it('keeps an Australian postcode as it is', () => {
    expect(normaliseAnyPostcode(' 2119 ')).toEqual({ ok: true, value: '2119' });
    expect(normaliseAnyPostcode('l1  1hz')).toEqual({ ok: true, value: 'L1 1HZ' });
    expect(normaliseAnyPostcode('1').ok).toBe(false);
  });
});

describe('cleanText', () => {
  it('trims, collapses white space and removes invisible characters', () => {
    expect(cleanText('  a \t b\u200b\u00a0c  ')).toBe('a b c');
    expect(cleanText('Cafe\u0301')).toBe('Caf\u00e9');
    expect(cleanText('👍 ok')).toBe('👍 ok');
  });
});

describe('capLength', () => {
  it('truncates a 3,000-character value without splitting a surrogate pair', () => {
    const long = '😀'.repeat(1500);
    const result = capLength(long, 255, 'truncate');
    expect(result).toMatchObject({ ok: true, truncated: true });
    expect(result.ok && Array.from(result.value).length).toBe(255);
    expect(result.ok && result.value.endsWith('😀')).toBe(true);
  });
  it('rejects when told to', () => {
    expect(capLength('x'.repeat(3000), 255, 'reject')).toMatchObject({ ok: false, code: REASON.FIELD_TOO_LONG });
    expect(capLength('short', 255, 'reject')).toEqual({ ok: true, value: 'short' });
  });
});
