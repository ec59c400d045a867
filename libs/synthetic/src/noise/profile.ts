/**
 * Named, versioned noise profiles. Rates are per eligible field or record (see docs/synthetic-data.md);
 * a feed's `quality` multiplies every rate except duplicates, which have their own per-feed rate.
 * Changing a profile means a new version and a changelog entry with the reason.
 */
export type NoisyField = 'forename' | 'surname' | 'dob' | 'sex' | 'postcode' | 'address' | 'nhs' | 'ni' | 'upn' | 'pnc' | 'uprn';

export interface NoiseRates {
  /** One letter replaced by a keyboard neighbour, per name field. */
  typo: number;
  dropLetter: number;
  doubleLetter: number;
  /** A sound-alike spelling (ph/f, ck/k, ie/y, ...), per name field where a rule applies. */
  phonetic: number;
  /** OCR-like confusion (rn/m, cl/d, l/I, ...), per name field where one applies. */
  ocr: number;
  /** Forename given as a nickname or short form, per forename that has one. */
  nickname: number;
  /** Forename and surname swapped, per record. */
  nameSwap: number;
  /** Day and month swapped, per date of birth with day <= 12 and day != month. */
  dobTranspose: number;
  /** Day of birth off by one or two, per date of birth. */
  dobError: number;
  /** Field left empty, per field present in the feed. */
  missing: Record<NoisyField, number>;
  /** The previous address recorded, per record of a person who has moved. */
  staleAddress: number;
  /** The birth surname recorded after a marriage, per record of a person whose surname changed. */
  marriageSurname: number;
  /** Another transliteration or diacritic spelling, per name that has one. */
  transliteration: number;
  /** A placeholder (UNKNOWN, 01/01/1900, ZZ99 3VZ), per record. */
  placeholder: number;
  /** An identifier with a wrong check character, per identifier present. */
  badCheckDigit: number;
  /** A relative's identifier recorded (mother's NHS number on her baby), per record with a relative. */
  wrongPersonId: number;
}

export interface NoiseProfile {
  name: string;
  version: number;
  description: string;
  rates: NoiseRates;
  /** Default share of extra records for the same person or event within a feed. */
  duplicateRate: number;
  /** Share of noisy records corrected in a later delivery. */
  correctionRate: number;
  /** Share of duplicate records withdrawn in a later delivery. */
  withdrawalRate: number;
}

export const REALISTIC_V1: NoiseProfile = {
  name: 'realistic-v1',
  version: 1,
  description: 'Error rates in the range reported for UK administrative data linkage (names, dates, identifiers), tuned so that a careful matcher is challenged but not swamped.',
  rates: {
    typo: 0.012,
    dropLetter: 0.006,
    doubleLetter: 0.005,
    phonetic: 0.012,
    ocr: 0.003,
    nickname: 0.06,
    nameSwap: 0.006,
    dobTranspose: 0.012,
    dobError: 0.008,
    missing: { forename: 0.004, surname: 0.002, dob: 0.02, sex: 0.03, postcode: 0.04, address: 0.02, nhs: 0.12, ni: 0.15, upn: 0.03, pnc: 0.1, uprn: 0.08 },
    staleAddress: 0.15,
    marriageSurname: 0.25,
    transliteration: 0.3,
    placeholder: 0.004,
    badCheckDigit: 0.006,
    wrongPersonId: 0.02,
  },
  duplicateRate: 0.03,
  correctionRate: 0.3,
  withdrawalRate: 0.35,
};

/** No noise at all: for tests of the matcher's plumbing and as a baseline. */
export const CLEAN_V1: NoiseProfile = {
  name: 'clean-v1',
  version: 1,
  description: 'No errors, duplicates, corrections or withdrawals.',
  rates: {
    typo: 0, dropLetter: 0, doubleLetter: 0, phonetic: 0, ocr: 0, nickname: 0, nameSwap: 0, dobTranspose: 0, dobError: 0,
    missing: { forename: 0, surname: 0, dob: 0, sex: 0, postcode: 0, address: 0, nhs: 0, ni: 0, upn: 0, pnc: 0, uprn: 0 },
    staleAddress: 0, marriageSurname: 0, transliteration: 0, placeholder: 0, badCheckDigit: 0, wrongPersonId: 0,
  },
  duplicateRate: 0,
  correctionRate: 0,
  withdrawalRate: 0,
};

/** Twice the realistic rates: for stress tests of a matcher. */
export const HARSH_V1: NoiseProfile = scaleProfile(REALISTIC_V1, 'harsh-v1', 2, 'realistic-v1 with every rate doubled.');

export function scaleProfile(p: NoiseProfile, name: string, factor: number, description: string): NoiseProfile {
  const r = p.rates;
  const s = (x: number) => Math.min(1, x * factor);
  return {
    name, version: 1, description,
    rates: {
      ...Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'missing').map(([k, v]) => [k, s(v as number)])) as unknown as NoiseRates,
      missing: Object.fromEntries(Object.entries(r.missing).map(([k, v]) => [k, s(v)])) as Record<NoisyField, number>,
    },
    duplicateRate: s(p.duplicateRate),
    correctionRate: p.correctionRate,
    withdrawalRate: p.withdrawalRate,
  };
}

export const PROFILES: Readonly<Record<string, NoiseProfile>> = {
  [REALISTIC_V1.name]: REALISTIC_V1,
  [CLEAN_V1.name]: CLEAN_V1,
  [HARSH_V1.name]: HARSH_V1,
};

export function profileByName(name: string): NoiseProfile {
  const p = PROFILES[name];
  if (!p) throw new Error(`unknown noise profile "${name}" (known: ${Object.keys(PROFILES).join(', ')})`);
  return p;
}
