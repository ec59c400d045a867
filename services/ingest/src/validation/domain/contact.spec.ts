import { normaliseEmail } from './email';
import { normalisePhone } from './phone';
import { normaliseSex } from './sex';
import { REASON } from './reason-codes';

describe('normaliseEmail', () => {
  it('lower-cases the domain only and drops mailto:', () => {
    expect(normaliseEmail(' John.Smith+tag@Example.CO.UK ')).toEqual({ ok: true, value: 'John.Smith+tag@example.co.uk' });
    expect(normaliseEmail('mailto:a@b.org')).toEqual({ ok: true, value: 'a@b.org' });
  });
  it.each(['plainaddress', '@example.com', 'a@', 'a..b@example.com', '.a@example.com', 'a@example', 'a@-example.com', 'a b@example.com', 'a@exa_mple.com', `${'x'.repeat(65)}@example.com`])(
    'rejects %s',
    (raw) => expect(normaliseEmail(raw)).toMatchObject({ ok: false, code: REASON.INVALID_EMAIL }),
  );
});

describe('normalisePhone', () => {
  it.each([
    ['07700 900123', '+447700900123'], ['+44 (0)7700 900123', '+447700900123'], ['0044 7700 900123', '+447700900123'],
    ['0151 233 3000', '+441512333000'], ['(0151) 233-3000', '+441512333000'], ['447700900123', '+447700900123'],
    ['7700900123', '+447700900123'], ['016977 3456', '+44169773456'], ['+33 1 42 68 53 00', '+33142685300'], ['0151 233 3000 ext 123', '+441512333000'],
  ])('%s → %s', (raw, expected) => expect(normalisePhone(raw)).toEqual({ ok: true, value: expected }));
  it.each(['12345', '0000000000', '04123456789', '06123456789', '0151 233 30000 1', 'phone me', '+44 7700 9001', '+1 23'])('rejects %s', (raw) =>
    expect(normalisePhone(raw)).toMatchObject({ ok: false, code: REASON.INVALID_PHONE }),
  );
});

describe('normaliseSex', () => {
  it.each([
    ['M', 'MALE'], ['male', 'MALE'], ['1', 'MALE'], ['F', 'FEMALE'], ['Female', 'FEMALE'], ['2', 'FEMALE'],
    ['0', 'NOT_KNOWN'], ['U', 'NOT_KNOWN'], ['Unknown', 'NOT_KNOWN'], ['9', 'NOT_SPECIFIED'], ['X', 'NOT_SPECIFIED'],
  ])('%s → %s', (raw, expected) => expect(normaliseSex(raw)).toEqual({ ok: true, value: expected }));
  it('treats blank as not recorded and rejects unknown codes', () => {
    expect(normaliseSex(' ')).toEqual({ ok: true, value: null });
    expect(normaliseSex('Q')).toMatchObject({ ok: false, code: REASON.INVALID_SEX });
  });
});
