/**
 * Masters a person should look at: signs that records of different people were joined, or
 * that a source filled a field with a placeholder the matcher may have trusted.
 */
import type { PersonDetails } from '@hub/contracts';
import { PLACEHOLDER_DATES_OF_BIRTH } from '../../matching/domain/placeholders';

export type SuspectReason = 'TWO_NHS_NUMBERS' | 'PLACEHOLDER_DATE_OF_BIRTH' | 'NO_FIXED_ABODE' | 'TWO_DATES_OF_BIRTH';

/** Dates systems use when the real one is unknown (the matcher ignores all but 1 January 1970). */
const PLACEHOLDER_DATES = new Set([...PLACEHOLDER_DATES_OF_BIRTH, '1970-01-01']);
/** "No fixed abode" as partners write it, and the NHS pseudo-postcode for it. */
const NO_FIXED_ABODE = /\b(no fixed (abode|address)|n\.?f\.?a\.?|homeless)\b/i;
const NO_FIXED_ABODE_POSTCODE = /^ZZ99\s*3VZ$/i;

export function suspectReasons(records: readonly PersonDetails[]): SuspectReason[] {
  const reasons: SuspectReason[] = [];
  const nhsNumbers = new Set(records.flatMap((p) => p.identifiers.filter((id) => id.scheme === 'NHS').map((id) => id.value.replace(/\s/g, ''))));
  if (nhsNumbers.size > 1) reasons.push('TWO_NHS_NUMBERS');
  const dates = records.map((p) => p.dateOfBirth).filter((d): d is string => d !== null);
  if (dates.some((d) => PLACEHOLDER_DATES.has(d))) reasons.push('PLACEHOLDER_DATE_OF_BIRTH');
  else if (new Set(dates).size > 1 && !sameDayAndMonthSwapped(dates)) reasons.push('TWO_DATES_OF_BIRTH');
  const homeless = records.some((p) =>
    p.addresses.some((a) => NO_FIXED_ABODE_POSTCODE.test(a.postcode ?? '') || [...a.lines, a.locality ?? ''].some((line) => NO_FIXED_ABODE.test(line))),
  );
  if (homeless) reasons.push('NO_FIXED_ABODE');
  return reasons;
}

/** Day and month transposed is a keying slip, not a different person. */
function sameDayAndMonthSwapped(dates: readonly string[]): boolean {
  const distinct = [...new Set(dates)];
  if (distinct.length !== 2) return false;
  const [a, b] = distinct.map((d) => d.split('-'));
  return a![0] === b![0] && a![1] === b![2] && a![2] === b![1];
}

export interface FeedMatchRate {
  sourceSystem: string;
  records: number;
  /** Records whose master also holds another record (of any feed). */
  linked: number;
  rate: number;
}

/** Per feed: how many of its records are linked to at least one other record. */
export function matchRatePerFeed(masters: ReadonlyArray<{ records: readonly string[] }>, sourceSystemOf: (recordKey: string) => string): FeedMatchRate[] {
  const counts = new Map<string, { records: number; linked: number }>();
  for (const master of masters) {
    for (const key of master.records) {
      const feed = sourceSystemOf(key);
      const entry = counts.get(feed) ?? { records: 0, linked: 0 };
      entry.records++;
      if (master.records.length > 1) entry.linked++;
      counts.set(feed, entry);
    }
  }
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sourceSystem, { records, linked }]) => ({ sourceSystem, records, linked, rate: records ? linked / records : 0 }));
}
