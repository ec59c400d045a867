/**
 * FEBRL benchmark files (rec_id, given_name, surname, street_number, address_1, address_2,
 * suburb, postcode, state, date_of_birth, soc_sec_id; ", " separated). Truth is the entity
 * number in rec_id ("rec-12-org", "rec-12-dup-3").
 */
import type { PersonDetails } from '@hub/contracts';
import { emptyAddress, LabelledRecord, orNull } from './labelled-record';

const REC_ID = /^rec-(\d+)-/;

function isoDate(yyyymmdd: string | null): string | null {
  if (!yyyymmdd || !/^\d{8}$/.test(yyyymmdd)) return null;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

export function febrlPerson(row: Record<string, string>): PersonDetails {
  const given = orNull(row.given_name);
  const streetLine = [orNull(row.street_number), orNull(row.address_1)].filter((v) => v !== null).join(' ');
  const lines = [streetLine, orNull(row.address_2) ?? ''].filter((l) => l !== '');
  const ssid = orNull(row.soc_sec_id);
  return {
    name: { givenNames: given ? [given] : [], familyName: orNull(row.surname), fullName: null, title: null },
    otherNames: [],
    dateOfBirth: isoDate(orNull(row.date_of_birth)),
    sex: null,
    addresses: [{ ...emptyAddress(), lines, locality: orNull(row.suburb), postcode: orNull(row.postcode), countryCode: 'AU' }],
    emails: [],
    phones: [],
    identifiers: ssid ? [{ scheme: 'OTHER', value: ssid, issuer: 'febrl.soc_sec_id' }] : [],
  };
}

export function parseFebrl(text: string): LabelledRecord[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.replace(/^ /, ''));
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    const truth = REC_ID.exec(row.rec_id)?.[1];
    if (truth === undefined) throw new Error(`FEBRL rec_id "${row.rec_id}" does not match rec-N-...`);
    return { person: febrlPerson(row), truth };
  });
}
