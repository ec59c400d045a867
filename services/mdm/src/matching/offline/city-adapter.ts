/**
 * The synthetic city's linkage case (electoral register and GP registrations, see
 * docs/synthetic-data.md) as people for the matcher. Truth comes from truth/linkage_pairs.csv:
 * a record's label is its true person when it is in a pair, else its own key.
 */
import { join } from 'node:path';
import type { PersonDetails } from '@hub/contracts';
import { readCsvObjects } from '@hub/synthetic';
import { emptyAddress, orNull } from './labelled-record';

export interface CityRecord {
  readonly key: string;
  /** 0 for the electoral register, 1 for GP registrations (pairs across the two count). */
  readonly side: 0 | 1;
  readonly truth: string;
  readonly person: PersonDetails;
}

function ymdToIso(v: string | null): string | null {
  return v && /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v;
}

function basePerson(given: string | null, middle: string | null, family: string | null): PersonDetails {
  return {
    name: { givenNames: [given, middle].filter((n): n is string => n !== null), familyName: family, fullName: null, title: null },
    otherNames: [],
    dateOfBirth: null,
    sex: null,
    addresses: [],
    emails: [],
    phones: [],
    identifiers: [],
  };
}

export function readCityLinkage(dir: string): CityRecord[] {
  const truth = new Map<string, string>();
  for (const row of readCsvObjects(join(dir, 'truth', 'linkage_pairs.csv'))) {
    truth.set(`er:${row['electoral-register']}`, row.person_id);
    truth.set(`gp:${row['gp-registrations']}`, row.person_id);
  }
  const out: CityRecord[] = [];
  for (const row of readCsvObjects(join(dir, 'linkage', 'electoral-register.csv'))) {
    const key = `er:${row.ElectorNumber}`;
    const person = basePerson(orNull(row.ElectorForename), orNull(row.ElectorMiddleName), orNull(row.ElectorSurname));
    person.addresses = [{
      ...emptyAddress(),
      lines: [row.Address1, row.Address2].filter((l) => l && l.trim()),
      locality: orNull(row.Address3),
      postcode: orNull(row.PostCode),
      uprn: orNull(row.PropertyUPRN),
    }];
    out.push({ key, side: 0, truth: truth.get(key) ?? key, person });
  }
  for (const row of readCsvObjects(join(dir, 'linkage', 'gp-registrations.csv'))) {
    const key = `gp:${row.PATIENT_ID}`;
    const person = basePerson(orNull(row.GIVEN_NAME), orNull(row.OTHER_GIVEN_NAMES), orNull(row.FAMILY_NAME));
    person.dateOfBirth = ymdToIso(orNull(row.PERSON_BIRTH_DATE));
    person.sex = row.PERSON_GENDER_CODE === '1' ? 'MALE' : row.PERSON_GENDER_CODE === '2' ? 'FEMALE' : null;
    const nhs = orNull(row.NHS_NUMBER);
    person.identifiers = nhs ? [{ scheme: 'NHS', value: nhs, issuer: null }] : [];
    person.addresses = [{
      ...emptyAddress(),
      lines: [row.ADDRESS_LINE_1, row.ADDRESS_LINE_2].filter((l) => l && l.trim()),
      locality: orNull(row.ADDRESS_LINE_3),
      postcode: orNull(row.POSTCODE),
    }];
    out.push({ key, side: 1, truth: truth.get(key) ?? key, person });
  }
  return out;
}
