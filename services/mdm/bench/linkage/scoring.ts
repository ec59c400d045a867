// Scores the pipeline's masters against the truth: pairs implied by the final masters
// (precision, recall, f1), B-cubed, and Splink's pairwise view (the scored pairs at or above
// the link probability). In a linkage only pairs across the two files count.
import { scoreClustering } from '@hub/synthetic';
import { pairMeasures, type ShuffleMetrics } from '../../src/matching/offline/evaluate';

/** A match-graph pair as mdm reports it: [a, b, probability, kind]. */
export type GraphPair = [string, string, number, string];

export interface LinkageScore
  extends Pick<ShuffleMetrics, 'records' | 'truePairs' | 'predictedPairs' | 'precision' | 'recall' | 'f1' | 'pairPrecision' | 'pairRecall' | 'pairF1'> {
  /** B-cubed over the records; null for a linkage (it would count pairs within one file). */
  b3F1: number | null;
  /** B-cubed over every record, whatever the mode. */
  b3F1All: number;
  /** Records handed to the pipeline that no active master holds at the end. */
  notHeld: number;
  /** Records scored without a truth label (each counted as a person of its own). */
  unknownTruth: number;
}

/**
 * `heldOnly`: score the records the masters hold at the end (the synthetic city, whose
 * deliveries withdraw records); otherwise every record handed out, one the pipeline does not
 * hold (rejected by ingest) counting as a master of its own.
 */
export function score(
  masterOf: ReadonlyMap<string, string>,
  truth: ReadonlyMap<string, { truth: string | undefined; side: number }>,
  pairs: readonly GraphPair[],
  linkage: boolean,
  heldOnly: boolean,
): LinkageScore {
  const keys = heldOnly ? [...truth.keys()].filter((key) => masterOf.has(key)) : [...truth.keys()];
  for (const key of masterOf.keys()) if (!truth.has(key)) keys.push(key);
  const labelOf = (key: string) => truth.get(key)?.truth ?? `unknown:${key}`;
  const scored = new Set(keys);
  const clustering = scoreClustering(
    keys.map((key) => masterOf.get(key) ?? `unheld:${key}`),
    keys.map(labelOf),
    linkage ? keys.map((key) => truth.get(key)?.side ?? 0) : undefined,
  );
  let predicted = 0;
  let correct = 0;
  for (const [a, b, , kind] of pairs) {
    if (kind === 'review' || !scored.has(a) || !scored.has(b)) continue;
    if (linkage && truth.get(a)?.side === truth.get(b)?.side) continue;
    predicted++;
    if (labelOf(a) === labelOf(b)) correct++;
  }
  const bAll = scoreClustering(keys.map((key) => masterOf.get(key) ?? `unheld:${key}`), keys.map(labelOf)).bcubed.f1;
  return {
    ...pairMeasures(keys.length, clustering, predicted, correct),
    b3F1: linkage ? null : clustering.bcubed.f1,
    b3F1All: bAll,
    notHeld: [...truth.keys()].filter((key) => !masterOf.has(key)).length,
    unknownTruth: keys.filter((key) => truth.get(key)?.truth === undefined).length,
  };
}
