import { flatString } from './flat-string';

describe('flatString', () => {
  it('keeps every character, lone surrogates and emoji included', () => {
    const odd = ['', 'short', `${'electoral-register'}/${'r-000123'}`, 'caf\u00e9 \u{1F600} \ud800 tail \udc00', 'line\nbreak "quoted" \\ back', '\u0000nul'.repeat(5)];
    for (const value of odd) expect(flatString(value)).toBe(value);
  });
});
