import { COMPARISONS, ComparisonSpec, NULL_LEVEL } from './comparisons';
import { seededRandom } from './random';
import { boundedLevenshtein } from './string-similarity';
import { PersonSketch, rec } from './test-fixtures';

function spec(name: string): ComparisonSpec {
  return COMPARISONS.find((c) => c.name === name) as ComparisonSpec;
}

function levelOf(name: string, a: PersonSketch, b: PersonSketch): string {
  const s = spec(name);
  return s.levels[s.level(rec('a', a), rec('b', b))];
}

describe('comparison levels', () => {
  it('has a null level first, parameters for every other level, and unique names', () => {
    for (const c of COMPARISONS) {
      expect(c.levels[NULL_LEVEL]).toBe('null');
      expect(c.defaultM).toHaveLength(c.levels.length - 1);
      expect(c.defaultU).toHaveLength(c.levels.length - 1);
    }
    expect(new Set(COMPARISONS.map((c) => c.name)).size).toBe(COMPARISONS.length);
  });

  it.each([
    [{ given: 'john' }, { given: 'john' }, 'exact'],
    [{ given: 'martha' }, { given: 'marhta' }, 'jaro-winkler >= 0.92'],
    [{ given: 'robert' }, { given: 'bob' }, 'nickname or variant'],
    [{ given: 'dwayne' }, { given: 'duane' }, 'phonetic'],
    [{ given: 'catherine' }, { given: 'kathryn' }, 'phonetic'],
    [{ given: 'john', family: 'smith' }, { given: 'smith', family: 'john' }, 'swapped with the other name'],
    [{ given: 'john' }, { given: 'zebedee' }, 'else'],
    [{ given: 'john' }, {}, 'null'],
    [{ given: 'rebecca' }, { given: 'ellen', middle: 'rebecca' }, 'nickname or variant'],
  ])('given name %j vs %j is %s', (a, b, expected) => {
    expect(levelOf('given name', a, b)).toBe(expected);
  });

  it.each([
    [{ given: 'james', middle: 'william' }, { given: 'james', middle: 'william' }, 'exact'],
    [{ given: 'james', middle: 'william' }, { given: 'james', middle: 'wiliam' }, 'jaro-winkler >= 0.88'],
    [{ given: 'james', middle: 'william' }, { given: 'james', middle: 'w' }, 'initial agrees'],
    [{ given: 'james', middle: 'william' }, { given: 'james', middle: 'paul' }, 'else'],
    [{ given: 'james', middle: 'william' }, { given: 'james' }, 'null'],
  ])('middle name %j vs %j is %s', (a, b, expected) => {
    expect(levelOf('middle name', a, b)).toBe(expected);
  });

  it('uses the surname variant table', () => {
    expect(levelOf('family name', { family: 'smith' }, { family: 'smyth' })).not.toBe('else');
  });

  it.each([
    ['1980-03-14', '1980-03-14', 'exact'],
    ['1980-03-04', '1980-04-03', 'day and month transposed'],
    ['1980-03-14', '1980-03-15', 'one digit differs'],
    ['1980-03-14', '1980-07-14', 'one digit differs'],
    ['1980-03-14', '1980-11-14', 'one part differs'],
    ['1980-03-14', '1981-12-25', 'years within 2'],
    ['1980-03-14', '1990-12-25', 'else'],
  ])('date of birth %s vs %s is %s', (a, b, expected) => {
    expect(levelOf('date of birth', { dob: a }, { dob: b })).toBe(expected);
  });

  it('gives the date of birth the levels of its eight-digit strings, for dates near and far apart', () => {
    // The levels as first defined, on the strings: the comparison now works on the numbers.
    const byStrings = (x: string, y: string): number => {
      const [xy, xm, xd] = [Number(x.slice(0, 4)), Number(x.slice(4, 6)), Number(x.slice(6))];
      const [yy, ym, yd] = [Number(y.slice(0, 4)), Number(y.slice(4, 6)), Number(y.slice(6))];
      if (x === y) return 1;
      if (xy === yy && xm === yd && xd === ym) return 2;
      if (boundedLevenshtein(x, y, 1) <= 1) return 3;
      if ((xy === yy ? 1 : 0) + (xm === ym ? 1 : 0) + (xd === yd ? 1 : 0) === 2) return 4;
      if (boundedLevenshtein(x, y, 2) <= 2) return 5;
      return Math.abs(xy - yy) <= 2 ? 6 : 7;
    };
    const random = seededRandom(11);
    const digit = () => String(Math.floor(random() * 10));
    const randomDate = () => `${1880 + Math.floor(random() * 220)}${digit()}${digit()}${digit()}${digit()}`;
    // near misses of every kind: substitutions, a digit moved, one dropped and another added, transposed day and month
    const nearby = (x: string): string => {
      const chars = x.split('');
      const kind = Math.floor(random() * 5);
      if (kind === 0) chars[4 + Math.floor(random() * 4)] = digit();
      if (kind === 1) for (let n = 0; n < 2; n++) chars[4 + Math.floor(random() * 4)] = digit();
      if (kind === 2) {
        const from = 4 + Math.floor(random() * 4);
        const [moved] = chars.splice(from, 1);
        chars.splice(4 + Math.floor(random() * 4), 0, moved);
      }
      if (kind === 3) return x.slice(0, 4) + x.slice(6) + x.slice(4, 6);
      if (kind === 4) {
        chars.splice(4 + Math.floor(random() * 4), 1);
        chars.splice(4 + Math.floor(random() * 4), 0, digit());
      }
      return chars.join('');
    };
    const s = spec('date of birth');
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = randomDate();
      const y = random() < 0.75 ? nearby(x) : randomDate();
      const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
      const level = s.level(rec('a', { dob: iso(x) }), rec('b', { dob: iso(y) }));
      const expected = byStrings(x, y);
      if (level !== expected) throw new Error(`${x} vs ${y}: ${level}, expected ${expected}`);
      counts[level]++;
    }
    // every level was reached, so each branch was compared with the definition
    expect(counts.slice(1).every((n) => n > 0)).toBe(true);
  });

  it.each([
    [{ postcode: 'L17 8XY', line: '4 Oak Court' }, { postcode: 'L17 8XY', line: '4 Oak Court' }, 'postcode, number and street exact'],
    [{ postcode: 'L17 8XY', line: '4 Oak Court' }, { postcode: 'L17 8XY', line: '4 Oak Cuort' }, 'postcode exact, number or street close'],
    [{ postcode: 'L17 8XY', line: '4 Oak Court' }, { postcode: 'M1 1AA', line: '4 Oak Court' }, 'number and street close, postcode close or different'],
    [{ postcode: 'L17 8XY', line: '4 Oak Court' }, { postcode: 'L17 8XY', line: '9 Elm Road' }, 'postcode exact only'],
    [{ postcode: 'L17 8XY' }, { postcode: 'L17 8AB' }, 'postcode sector or one character'],
    [{ postcode: '2119' }, { postcode: '2118' }, 'postcode sector or one character'],
    [{ postcode: 'L17 8XY' }, { postcode: 'L17 1AB' }, 'street close or same district'],
    [{ postcode: 'L17 8XY' }, { postcode: 'M1 1AA' }, 'else'],
    [{ postcode: 'L17 8XY' }, { line: '4 Oak Court' }, 'null'],
  ])('address %j vs %j is %s', (a, b, expected) => {
    expect(levelOf('address', a, b)).toBe(expected);
  });

  it('counts one shared address once: postcode, street and number are one comparison', () => {
    expect(COMPARISONS.map((c) => c.name)).not.toEqual(expect.arrayContaining(['postcode']));
  });

  it('compares e-mails, identifiers per scheme and sex', () => {
    expect(levelOf('email', { email: 'jo@a.com' }, { email: 'jo@b.org' })).toBe('local part exact');
    expect(levelOf('identifier NHS', { ids: [['NHS', '9434765919']] }, { ids: [['NHS', '9434765919']] })).toBe('exact');
    expect(levelOf('identifier NHS', { ids: [['NHS', '9434765919']] }, { ids: [['NHS', '9434765918']] })).toBe('one character differs');
    expect(levelOf('identifier NHS', { ids: [['NHS', '9434765919']] }, { ids: [['NI', 'AB123456C']] })).toBe('null');
    expect(levelOf('sex', { sex: 'MALE' }, { sex: 'FEMALE' })).toBe('else');
  });
});
