import { COMPARISONS, ComparisonSpec, NULL_LEVEL } from './comparisons';
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
