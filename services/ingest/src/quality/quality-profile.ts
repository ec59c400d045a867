import type { CanonicalRecord, MappedRow } from '../feeds/domain/mapped-row';

/**
 * A feed's data quality over one load: completeness of each canonical person field,
 * fields flagged by validation (nulled or doubted) by reason, rejects by reason, duplicates.
 * Counts only: no values.
 */
export interface QualityProfile {
  rows: number;
  persons: number;
  completeness: Record<string, number>;
  flagged: Record<string, Record<string, number>>;
  rejectsByReason: Record<string, number>;
  duplicates: number;
}

const personFields: [string, (record: Extract<CanonicalRecord, { type: 'person' }>) => boolean][] = [
  ['name.givenNames', (r) => (r.person.name.givenNames?.length ?? 0) > 0],
  ['name.familyName', (r) => !!r.person.name.familyName],
  ['dateOfBirth', (r) => !!r.person.dateOfBirth],
  ['sex', (r) => !!r.person.sex],
  ['addresses.postcode', (r) => !!r.person.addresses?.some((a) => a.postcode)],
  ['addresses.uprn', (r) => !!r.person.addresses?.some((a) => a.uprn)],
  ['emails', (r) => (r.person.emails?.length ?? 0) > 0],
  ['phones', (r) => (r.person.phones?.length ?? 0) > 0],
  ['identifiers.NHS', (r) => !!r.person.identifiers?.some((i) => i.scheme === 'NHS')],
  ['identifiers.UPN', (r) => !!r.person.identifiers?.some((i) => i.scheme === 'UPN')],
  ['identifiers.NI', (r) => !!r.person.identifiers?.some((i) => i.scheme === 'NI')],
  ['identifiers.PNC', (r) => !!r.person.identifiers?.some((i) => i.scheme === 'PNC')],
];

export class QualityProfiler {
  private readonly profile: QualityProfile = { rows: 0, persons: 0, completeness: {}, flagged: {}, rejectsByReason: {}, duplicates: 0 };

  observe(row: MappedRow | { outcome: 'unparseable'; code: string }): void {
    this.profile.rows++;
    if (row.outcome === 'unparseable') {
      this.count(this.profile.rejectsByReason, row.code);
      return;
    }
    if (row.outcome === 'rejected') {
      for (const reason of row.reasons) this.count(this.profile.rejectsByReason, reason.code);
      return;
    }
    if (row.outcome !== 'accepted') return;
    for (const flag of row.flags) this.count((this.profile.flagged[flag.field] ??= {}), flag.code);
    for (const record of row.records) {
      if (record.type !== 'person') continue;
      this.profile.persons++;
      for (const [field, present] of personFields) if (present(record)) this.count(this.profile.completeness, field);
    }
  }

  duplicate(): void {
    this.profile.duplicates++;
  }

  /** The raw counts, for a profiler in another thread to absorb. */
  counts(): QualityProfile {
    return this.profile;
  }

  /** Adds another profiler's raw counts (rows profiled where they were mapped, in a worker thread). */
  absorb(other: QualityProfile): void {
    this.profile.rows += other.rows;
    this.profile.persons += other.persons;
    this.profile.duplicates += other.duplicates;
    for (const [key, n] of Object.entries(other.completeness)) this.profile.completeness[key] = (this.profile.completeness[key] ?? 0) + n;
    for (const [key, n] of Object.entries(other.rejectsByReason)) this.profile.rejectsByReason[key] = (this.profile.rejectsByReason[key] ?? 0) + n;
    for (const [field, codes] of Object.entries(other.flagged)) {
      const target = (this.profile.flagged[field] ??= {});
      for (const [code, n] of Object.entries(codes)) target[code] = (target[code] ?? 0) + n;
    }
  }

  result(): QualityProfile {
    const persons = Math.max(1, this.profile.persons);
    return {
      ...this.profile,
      completeness: Object.fromEntries(personFields.map(([field]) => [field, Number(((this.profile.completeness[field] ?? 0) / persons).toFixed(4))])),
    };
  }

  private count(target: Record<string, number>, key: string): void {
    target[key] = (target[key] ?? 0) + 1;
  }
}
