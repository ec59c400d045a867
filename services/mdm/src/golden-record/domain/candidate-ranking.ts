/**
 * The one ordering every survivorship choice uses: trust, then recency, then how many source
 * records carry the value, then the source key. It is a total order on the candidates'
 * content, never on their position in the input, which is what makes the golden record a
 * pure function of the set of source records.
 */
import type { SourceRecordRefInput } from '@hub/contracts';

/** Which step of the ordering told the winner from the best candidate with another value. */
export type SurvivorshipRule =
  | 'unanimous'
  | 'trust'
  | 'trust>recency'
  | 'trust>recency>frequency'
  | 'trust>recency>frequency>source-order'
  | 'union';

export interface Candidate<T> {
  readonly value: T;
  /** Values that mean the same (case, spacing) share it: it counts frequency and removes duplicates. */
  readonly sameAs: string;
  /** The exact value, written out; it orders candidates that tie on everything else. */
  readonly exact: string;
  readonly source: SourceRecordRefInput;
  readonly sourceKey: string;
  /** The member record it came from: one record listing a value twice counts once. */
  readonly record: object;
  readonly trust: number;
  /** Epoch ms when, as the source says, the value became true. */
  readonly time: number;
}

/** Candidates for one field, with how many source records carry each value. */
export class CandidatePool<T> {
  readonly candidates: Candidate<T>[] = [];
  private readonly recordsPerValue = new Map<string, number>();
  private readonly lastCounted = new Map<string, object>();

  add(candidate: Candidate<T>): void {
    this.candidates.push(candidate);
    if (this.lastCounted.get(candidate.sameAs) === candidate.record) return;
    this.lastCounted.set(candidate.sameAs, candidate.record);
    this.recordsPerValue.set(candidate.sameAs, (this.recordsPerValue.get(candidate.sameAs) ?? 0) + 1);
  }

  frequency(candidate: Candidate<T>): number {
    return this.recordsPerValue.get(candidate.sameAs) ?? 0;
  }

  /** Negative when `a` should survive before `b`. */
  compare(a: Candidate<T>, b: Candidate<T>): number {
    return (
      b.trust - a.trust ||
      b.time - a.time ||
      this.frequency(b) - this.frequency(a) ||
      byCodeUnits(a.sourceKey, b.sourceKey) ||
      byCodeUnits(a.sameAs, b.sameAs) ||
      byCodeUnits(a.exact, b.exact)
    );
  }

  /** The surviving value and the rule that chose it; null when no source has one. */
  best(): { winner: Candidate<T>; rule: SurvivorshipRule } | null {
    let winner: Candidate<T> | undefined;
    for (const c of this.candidates) if (!winner || this.compare(c, winner) < 0) winner = c;
    if (!winner) return null;
    let runnerUp: Candidate<T> | undefined;
    for (const c of this.candidates) {
      if (c.sameAs !== winner.sameAs && (!runnerUp || this.compare(c, runnerUp) < 0)) runnerUp = c;
    }
    return { winner, rule: runnerUp ? this.decidingRule(winner, runnerUp) : 'unanimous' };
  }

  /** The distinct values, best first, at most `limit`, each from its best source. */
  union(limit: number, excluding?: string): Candidate<T>[] {
    const bestPerValue = new Map<string, Candidate<T>>();
    for (const c of this.candidates) {
      if (c.sameAs === excluding) continue;
      const kept = bestPerValue.get(c.sameAs);
      if (!kept || this.compare(c, kept) < 0) bestPerValue.set(c.sameAs, c);
    }
    return [...bestPerValue.values()].sort((a, b) => this.compare(a, b)).slice(0, limit);
  }

  private decidingRule(winner: Candidate<T>, runnerUp: Candidate<T>): SurvivorshipRule {
    if (winner.trust !== runnerUp.trust) return 'trust';
    if (winner.time !== runnerUp.time) return 'trust>recency';
    if (this.frequency(winner) !== this.frequency(runnerUp)) return 'trust>recency>frequency';
    return 'trust>recency>frequency>source-order';
  }
}

/** Locale-independent, so that the order is the same on every machine. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
