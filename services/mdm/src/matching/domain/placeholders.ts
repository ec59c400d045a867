/**
 * Values systems write when they do not know the real one. Two records sharing one say
 * nothing about being one person, so the matcher treats them as missing; the suspect-masters
 * report lists masters that hold them.
 */

/** Dates of birth that stand for "unknown" (1 January 1970 is also a real birthday: reported, still matched). */
export const PLACEHOLDER_DATES_OF_BIRTH: ReadonlySet<string> = new Set(['1900-01-01', '1901-01-01', '1899-12-31', '1800-01-01', '9999-12-31', '1111-11-11']);

/** The NHS pseudo-postcode for "no fixed abode" (spaces removed, upper case). */
export const NO_FIXED_ABODE_POSTCODE = 'ZZ993VZ';
