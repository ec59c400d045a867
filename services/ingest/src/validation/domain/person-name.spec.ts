import { cleanNamePart, isPlaceholderName, properCaseName, splitFullName } from './person-name';
import { REASON } from './reason-codes';

describe('properCaseName', () => {
  it.each([
    ['SMITH', 'Smith'], ['o\'neill', "O'Neill"], ['MCDONALD', 'McDonald'], ['MACDONALD', 'MacDonald'], ['MACHIN', 'Machin'], ['MACKIE', 'Mackie'],
    ['SMITH-JONES', 'Smith-Jones'], ['FFORBES SMITH', 'Fforbes Smith'], ["D'ARCY", "D'Arcy"], ['ÉLODIE', 'Élodie'],
    ['McKelvie', 'McKelvie'], ['DeVito', 'DeVito'], ['van Dijk', 'van Dijk'],
  ])('%s → %s', (raw, expected) => {
    expect(properCaseName(raw)).toBe(expected);
  });
});

describe('cleanNamePart', () => {
  it('collapses white space and takes out a title', () => {
    expect(cleanNamePart('  MR   JOHN  ')).toEqual({ ok: true, value: { name: 'John', title: 'Mr' } });
    expect(cleanNamePart('Dr. Anna Maria')).toEqual({ ok: true, value: { name: 'Anna Maria', title: 'Dr' } });
  });
  it('keeps a name that only looks like a title when it stands alone', () => {
    expect(cleanNamePart('Rev')).toEqual({ ok: true, value: { name: null, title: 'Rev' } });
  });
  it('straightens curly apostrophes and composes accents (NFC)', () => {
    expect(cleanNamePart('O\u2019NEILL')).toEqual({ ok: true, value: { name: "O'Neill", title: null } });
    expect(cleanNamePart('Zoe\u0301')).toEqual({ ok: true, value: { name: 'Zo\u00e9', title: null } });
  });
  it.each(['UNKNOWN', 'xxx', 'Not Known', 'BABY', 'TBC', 'ZZZ', 'N/A', '-', '?', 'Baby of Smith', 'ZZZZZ'])('flags placeholder %s', (raw) => {
    expect(cleanNamePart(raw)).toMatchObject({ ok: false, code: REASON.PLACEHOLDER_NAME });
  });
  it('rejects digits and emoji', () => {
    expect(cleanNamePart('J0hn')).toMatchObject({ ok: false, code: REASON.INVALID_NAME });
    expect(cleanNamePart('John 😀')).toMatchObject({ ok: false, code: REASON.INVALID_NAME });
  });
  it('treats blank as missing, not as an error', () => {
    expect(cleanNamePart('   ')).toEqual({ ok: true, value: { name: null, title: null } });
  });
  it('does not mistake real names for placeholders', () => {
    for (const name of ['Xander', 'Zara', 'Baby-Lee', 'Na', 'Unwin']) expect(isPlaceholderName(name)).toBe(false);
  });
});

describe('splitFullName', () => {
  it('reads "SURNAME, Forename Middle"', () => {
    expect(splitFullName('SMITH, John Paul')).toEqual({ ok: true, value: { title: null, givenNames: ['John', 'Paul'], familyName: 'Smith' } });
    expect(splitFullName('SIMON, Layla-Rae Carla')).toEqual({ ok: true, value: { title: null, givenNames: ['Layla-Rae', 'Carla'], familyName: 'Simon' } });
  });
  it('reads "Forename Middle Surname" with a title', () => {
    expect(splitFullName('Mrs Mary Ann O\'Brien')).toEqual({ ok: true, value: { title: 'Mrs', givenNames: ['Mary', 'Ann'], familyName: "O'Brien" } });
  });
  it('keeps particles and double-barrelled names on the family name', () => {
    expect(splitFullName('Jan van der Berg')).toEqual({ ok: true, value: { title: null, givenNames: ['Jan'], familyName: 'van der Berg' } });
    expect(splitFullName('Emma Smith-Jones')).toEqual({ ok: true, value: { title: null, givenNames: ['Emma'], familyName: 'Smith-Jones' } });
    expect(splitFullName('Van Morrison')).toEqual({ ok: true, value: { title: null, givenNames: ['Van'], familyName: 'Morrison' } });
  });
  it('reads family-first names without a comma when told to', () => {
    expect(splitFullName('SMITH JOHN', 'family-first')).toEqual({ ok: true, value: { title: null, givenNames: ['John'], familyName: 'Smith' } });
  });
  it('keeps the real part when the other is a placeholder', () => {
    expect(splitFullName('SMITH, UNKNOWN')).toEqual({ ok: true, value: { title: null, givenNames: [], familyName: 'Smith' } });
    expect(splitFullName('UNKNOWN')).toMatchObject({ ok: false, code: REASON.PLACEHOLDER_NAME });
  });
  it('reads a single word as a family name', () => {
    expect(splitFullName('Smith')).toEqual({ ok: true, value: { title: null, givenNames: [], familyName: 'Smith' } });
  });
});
