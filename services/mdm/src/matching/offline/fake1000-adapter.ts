/**
 * Splink's fake_1000 (unique_id, first_name, surname, dob, city, email, cluster). Truth is
 * `cluster`; unique_id rises with cluster, so neither reaches the matcher.
 */
import type { PersonDetails } from '@hub/contracts';
import { emptyAddress, LabelledRecord, orNull } from './labelled-record';

export function fake1000Person(row: Record<string, string>): PersonDetails {
  const first = orNull(row.first_name);
  const city = orNull(row.city);
  const email = orNull(row.email);
  return {
    name: { givenNames: first ? [first] : [], familyName: orNull(row.surname), fullName: null, title: null },
    otherNames: [],
    dateOfBirth: orNull(row.dob),
    sex: null,
    addresses: city ? [{ ...emptyAddress(), locality: city }] : [],
    emails: email ? [email] : [],
    phones: [],
    identifiers: [],
  };
}

export function parseFake1000(text: string): LabelledRecord[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = (cells[i] ?? '').trim()));
    if (!row.cluster) throw new Error(`fake_1000 row without cluster: ${line}`);
    return { person: fake1000Person(row), truth: row.cluster };
  });
}
