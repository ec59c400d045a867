import type { PersonDetails } from '@hub/contracts';

/**
 * A benchmark row split in two: the person, which the matcher sees, and the truth label, which
 * only the scorer sees. Adapters put nothing of the truth (FEBRL's rec_id, fake_1000's cluster
 * or unique_id) into the person.
 */
export interface LabelledRecord {
  readonly person: PersonDetails;
  readonly truth: string;
}

export function emptyAddress(): PersonDetails['addresses'][number] {
  return { lines: [], locality: null, postcode: null, uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null };
}

export function orNull(value: string | undefined): string | null {
  const v = (value ?? '').trim();
  return v === '' ? null : v;
}
