/**
 * Unsupervised training, as Splink does it: u from random pairs (almost all of them are
 * different people), then m by expectation-maximisation over the blocked candidate pairs with
 * u held fixed; the prior is the expected number of matching pairs found by EM over all pairs.
 * No labels are used anywhere.
 */
import { CandidateIndex, BlockingOptions, DEFAULT_BLOCKING, personBlockingKeys } from './blocking';
import { COMPARISONS, NULL_LEVEL, TermFrequencyField } from './comparisons';
import { MatchRecord } from './match-record';
import { MatchModel, MODEL_FORMAT, withVersion } from './model';
import { seededRandom } from './random';

export interface TrainingOptions {
  seed: number;
  /** Random pairs sampled for u (all pairs when there are fewer). */
  maxRandomPairs: number;
  /** Candidates per record when collecting pairs for EM (as the resolver does). */
  maxCandidates: number;
  blocking: BlockingOptions;
  maxIterations: number;
  /** EM stops when no m moves by more than this. */
  tolerance: number;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  seed: 42,
  maxRandomPairs: 1_000_000,
  maxCandidates: 50,
  blocking: DEFAULT_BLOCKING,
  maxIterations: 100,
  tolerance: 1e-5,
};

/** Pseudo-count per level, so that a level never seen in a sample keeps a finite weight. */
const SMOOTHING = 0.5;
const MIN_PROBABILITY = 1e-7;

export type LevelMatrix = { pairs: number; comparisons: number; levels: Uint8Array };

function levelsOf(pairs: ReadonlyArray<readonly [MatchRecord, MatchRecord]>): LevelMatrix {
  const c = COMPARISONS.length;
  const levels = new Uint8Array(pairs.length * c);
  pairs.forEach(([a, b], p) => {
    for (let k = 0; k < c; k++) levels[p * c + k] = COMPARISONS[k].level(a, b);
  });
  return { pairs: pairs.length, comparisons: c, levels };
}

function randomPairs(records: readonly MatchRecord[], options: TrainingOptions): Array<[MatchRecord, MatchRecord]> {
  const n = records.length;
  const all = (n * (n - 1)) / 2;
  const out: Array<[MatchRecord, MatchRecord]> = [];
  if (all <= options.maxRandomPairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([records[i], records[j]]);
    return out;
  }
  const random = seededRandom(options.seed);
  while (out.length < options.maxRandomPairs) {
    const i = Math.floor(random() * n);
    const j = Math.floor(random() * n);
    if (i !== j) out.push([records[i], records[j]]);
  }
  return out;
}

/** u per comparison and level (index 0 unused), from level counts over random pairs. */
export function estimateU(matrix: LevelMatrix): number[][] {
  return COMPARISONS.map((spec, k) => {
    const counts = new Array<number>(spec.levels.length).fill(0);
    for (let p = 0; p < matrix.pairs; p++) counts[matrix.levels[p * matrix.comparisons + k]]++;
    const nonNull = counts.reduce((s, v, i) => (i === NULL_LEVEL ? s : s + v), 0);
    // With (almost) no observations the defaults are better than a smoothed uniform.
    if (nonNull < 100) return [0, ...spec.defaultU];
    const levels = spec.levels.length - 1;
    return counts.map((v, i) => (i === NULL_LEVEL ? 0 : Math.max(MIN_PROBABILITY, (v + SMOOTHING) / (nonNull + SMOOTHING * levels))));
  });
}

export interface EmResult {
  m: number[][];
  /** Share of the candidate pairs that are matches. */
  proportionMatched: number;
  /** Posterior match probability of each candidate pair. */
  posteriors: Float64Array;
  iterations: number;
}

/** EM for m with u fixed. Deterministic: plain sums in pair order. */
export function expectationMaximisation(
  matrix: LevelMatrix,
  randomU: number[][],
  options: Pick<TrainingOptions, 'maxIterations' | 'tolerance'> & { blockedU?: boolean },
): EmResult {
  const c = matrix.comparisons;
  let m = COMPARISONS.map((spec) => [0, ...spec.defaultM]);
  let u = randomU;
  let lambda = 0.2;
  const posteriors = new Float64Array(matrix.pairs);
  let iterations = 0;
  for (; iterations < options.maxIterations; iterations++) {
    const logRatio = m.map((levels, k) => levels.map((mv, l) => (l === NULL_LEVEL ? 0 : Math.log2(mv / u[k][l]))));
    const priorLog = Math.log2(lambda / (1 - lambda));
    let sumP = 0;
    for (let p = 0; p < matrix.pairs; p++) {
      let w = priorLog;
      for (let k = 0; k < c; k++) w += logRatio[k][matrix.levels[p * c + k]];
      const post = 1 / (1 + Math.pow(2, -w));
      posteriors[p] = post;
      sumP += post;
    }
    const weighted = COMPARISONS.map((spec) => new Array<number>(spec.levels.length).fill(0));
    const weightedNon = COMPARISONS.map((spec) => new Array<number>(spec.levels.length).fill(0));
    for (let p = 0; p < matrix.pairs; p++) {
      const post = posteriors[p];
      for (let k = 0; k < c; k++) {
        weighted[k][matrix.levels[p * c + k]] += post;
        weightedNon[k][matrix.levels[p * c + k]] += 1 - post;
      }
    }
    const normalise = (rows: number[][], previous: number[][]) =>
      rows.map((row, k) => {
        const nonNull = row.reduce((s, v, i) => (i === NULL_LEVEL ? s : s + v), 0);
        if (nonNull < 1) return previous[k];
        const levels = row.length - 1;
        return row.map((v, i) => (i === NULL_LEVEL ? 0 : Math.max(MIN_PROBABILITY, (v + SMOOTHING * 0.01) / (nonNull + SMOOTHING * 0.01 * levels))));
      });
    const next = normalise(weighted, m).map((row, k) => (COMPARISONS[k].fixedM ? m[k] : row));
    // Non-matches among blocked pairs agree on the blocking fields far more often than random
    // pairs do; modelling them with their own u keeps EM from calling every candidate a match.
    if (options.blockedU) u = normalise(weightedNon, u);
    let moved = 0;
    next.forEach((row, k) => row.forEach((v, l) => (moved = Math.max(moved, Math.abs(v - m[k][l])))));
    m = next;
    lambda = Math.min(0.999, Math.max(1e-9, sumP / Math.max(1, matrix.pairs)));
    if (moved < options.tolerance) {
      iterations++;
      break;
    }
  }
  return { m, proportionMatched: lambda, posteriors, iterations };
}

function termFrequencies(records: readonly MatchRecord[], field: TermFrequencyField): { table: Record<string, number>; minimum: number } {
  const counts = new Map<string, number>();
  let total = 0;
  for (const r of records) {
    const value = field === 'givenName' ? r.givenName : field === 'familyName' ? r.familyName : (r.localities[0] ?? null);
    if (value === null) continue;
    counts.set(value, (counts.get(value) ?? 0) + 1);
    total++;
  }
  const table: Record<string, number> = {};
  for (const [value, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) if (count > 1) table[value] = count / total;
  return { table, minimum: 1 / Math.max(1, total) };
}

/** Candidate pairs for EM: each record against the records before it that share a person key. */
export function candidatePairs(
  records: readonly MatchRecord[],
  options: Pick<TrainingOptions, 'blocking' | 'maxCandidates'>,
  keysOf: (record: MatchRecord) => string[] = personBlockingKeys,
): Array<[MatchRecord, MatchRecord]> {
  const index = new CandidateIndex(options.blocking, keysOf);
  const pairs: Array<[MatchRecord, MatchRecord]> = [];
  for (const r of records) {
    for (const c of index.candidates(r, options.maxCandidates)) pairs.push([r, c]);
    index.add(r);
  }
  return pairs;
}

/** Trains a model on unlabelled records. */
export function trainModel(records: readonly MatchRecord[], overrides: Partial<TrainingOptions> = {}): MatchModel {
  const options = { ...DEFAULT_TRAINING, ...overrides };
  const u = estimateU(levelsOf(randomPairs(records, options)));
  const pairs = candidatePairs(records, options);
  const em = expectationMaximisation(levelsOf(pairs), u, { ...options, blockedU: true });
  const n = records.length;
  const allPairs = Math.max(1, (n * (n - 1)) / 2);
  const expectedMatches = em.posteriors.reduce((s, p) => s + p, 0);
  const lambda = Math.min(0.5, Math.max(1e-9, expectedMatches / allPairs));
  const tfGiven = termFrequencies(records, 'givenName');
  const tfFamily = termFrequencies(records, 'familyName');
  const tfLocality = termFrequencies(records, 'locality');
  return withVersion({
    format: MODEL_FORMAT,
    probabilityTwoRandomRecordsMatch: lambda,
    comparisons: COMPARISONS.map((spec, k) => ({
      name: spec.name,
      levels: spec.levels.slice(1).map((label, i) => ({ label, m: em.m[k][i + 1], u: u[k][i + 1] })),
    })),
    termFrequencies: { givenName: tfGiven.table, familyName: tfFamily.table, locality: tfLocality.table },
    minimumTermFrequency: { givenName: tfGiven.minimum, familyName: tfFamily.minimum, locality: tfLocality.minimum },
    training: {
      records: n,
      randomPairs: Math.min(options.maxRandomPairs, allPairs),
      candidatePairs: pairs.length,
      emIterations: em.iterations,
      expectedMatchingPairs: expectedMatches,
      seed: options.seed,
    },
  });
}
