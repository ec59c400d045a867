/**
 * Scoring a clustering (persons resolved to master persons, or persons grouped into families)
 * against the truth. Pairs are counted from the contingency table of predicted x true cluster
 * sizes, never enumerated, so 3 million records take a second or two.
 *
 * Conventions: precision is 1 when nothing was predicted (no pairs), recall is 1 when there is
 * nothing to find; F1 is the harmonic mean (0 when both are 0).
 */

export type Label = string | number;

export interface PRF { precision: number; recall: number; f1: number }

export interface PairCounts extends PRF {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

export interface ExactClusters extends PRF {
  /** Predicted clusters that are exactly a true cluster. */
  exact: number;
}

export interface ClusteringScore {
  mode: 'dedupe' | 'linkage';
  records: number;
  trueClusters: number;
  predictedClusters: number;
  pairwise: PairCounts;
  bcubed: PRF;
  exactClusters: ExactClusters;
}

function prf(precision: number, recall: number): PRF {
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

function ratio(num: number, den: number): number {
  return den === 0 ? 1 : num / den;
}

function compress(labels: ArrayLike<Label>): { ids: Int32Array; count: number } {
  const map = new Map<Label, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = map.get(labels[i]);
    if (id === undefined) { id = map.size; map.set(labels[i], id); }
    ids[i] = id;
  }
  return { ids, count: map.size };
}

/**
 * Dedupe case: every pair of records counts. Linkage case (pass `source`, 0 or 1 per record):
 * only pairs with one record from each source count for the pairwise measures; B-cubed and
 * exact clusters are computed over all records.
 */
export function scoreClustering(predicted: ArrayLike<Label>, truth: ArrayLike<Label>, source?: ArrayLike<number>): ClusteringScore {
  if (predicted.length !== truth.length) throw new Error(`predicted has ${predicted.length} labels, truth ${truth.length}`);
  if (source && source.length !== truth.length) throw new Error('source must have one entry per record');
  const n = truth.length;
  const p = compress(predicted);
  const t = compress(truth);
  const predSize = new Float64Array(p.count);
  const trueSize = new Float64Array(t.count);
  const predA = new Float64Array(source ? p.count : 0);
  const trueA = new Float64Array(source ? t.count : 0);
  const cellIndex = new Map<number, number>();
  const cellPred: number[] = [];
  const cellTrue: number[] = [];
  const cellSize: number[] = [];
  const cellA: number[] = [];
  for (let i = 0; i < n; i++) {
    const pi = p.ids[i];
    const ti = t.ids[i];
    predSize[pi]++;
    trueSize[ti]++;
    const a = source && source[i] === 0 ? 1 : 0;
    if (source) { predA[pi] += a; trueA[ti] += a; }
    const key = pi * t.count + ti;
    let c = cellIndex.get(key);
    if (c === undefined) {
      c = cellSize.length;
      cellIndex.set(key, c);
      cellPred.push(pi); cellTrue.push(ti); cellSize.push(0); cellA.push(0);
    }
    cellSize[c]++;
    cellA[c] += a;
  }
  let correct = 0;
  let bP = 0;
  let bR = 0;
  let exact = 0;
  for (let c = 0; c < cellSize.length; c++) {
    const s = cellSize[c];
    const ps = predSize[cellPred[c]];
    const ts = trueSize[cellTrue[c]];
    correct += source ? cellA[c] * (s - cellA[c]) : (s * (s - 1)) / 2;
    bP += (s * s) / ps;
    bR += (s * s) / ts;
    if (s === ps && s === ts) exact++;
  }
  let predictedPairs = 0;
  let truePairs = 0;
  for (let i = 0; i < p.count; i++) predictedPairs += source ? predA[i] * (predSize[i] - predA[i]) : (predSize[i] * (predSize[i] - 1)) / 2;
  for (let i = 0; i < t.count; i++) truePairs += source ? trueA[i] * (trueSize[i] - trueA[i]) : (trueSize[i] * (trueSize[i] - 1)) / 2;
  return {
    mode: source ? 'linkage' : 'dedupe',
    records: n,
    trueClusters: t.count,
    predictedClusters: p.count,
    pairwise: { truePairs, predictedPairs, correctPairs: correct, ...prf(ratio(correct, predictedPairs), ratio(correct, truePairs)) },
    bcubed: prf(n === 0 ? 1 : bP / n, n === 0 ? 1 : bR / n),
    exactClusters: { exact, ...prf(ratio(exact, p.count), ratio(exact, t.count)) },
  };
}

/** Clusters from matched pairs (for matchers that output pairs): connected components. */
export function clustersFromPairs(records: number, pairs: Iterable<readonly [number, number]>): Int32Array {
  const parent = new Int32Array(records);
  for (let i = 0; i < records; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
    return x;
  };
  for (const [a, b] of pairs) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
  }
  const out = new Int32Array(records);
  for (let i = 0; i < records; i++) out[i] = find(i);
  return out;
}
