/**
 * String measures for the comparison levels. Inputs are already cleaned and capped (see
 * match-record.ts), so the quadratic work here is bounded by the caps. Scratch buffers are
 * reused between calls because the resolver compares tens of candidates per record and the
 * allocations would dominate the cost.
 */

const SCRATCH = 512;
let flagsA = new Uint8Array(SCRATCH);
let flagsB = new Uint8Array(SCRATCH);
let rowPrev = new Int32Array(SCRATCH + 1);
let rowCur = new Int32Array(SCRATCH + 1);

function ensureScratch(length: number): void {
  if (length < flagsA.length) return;
  const size = Math.max(length + 1, flagsA.length * 2);
  flagsA = new Uint8Array(size);
  flagsB = new Uint8Array(size);
  rowPrev = new Int32Array(size + 1);
  rowCur = new Int32Array(size + 1);
}

/** Jaro similarity in [0, 1]; 1 for two identical strings, 0 when either is empty. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  ensureScratch(Math.max(la, lb));
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  // names are short: a loop costs less than a call of fill
  for (let i = 0; i < la; i++) flagsA[i] = 0;
  for (let j = 0; j < lb; j++) flagsB[j] = 0;
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler with the usual prefix scale 0.1 over at most 4 characters. */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j === 0 || j === 1) return j;
  let prefix = 0;
  const max = Math.min(4, a.length, b.length);
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/**
 * Levenshtein distance, but gives up as soon as it must exceed `max` (returns max + 1), so
 * that a comparison level such as "one typo" costs O(length x band) and never more.
 */
export function boundedLevenshtein(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  ensureScratch(Math.max(la, lb) + 1);
  // Only the cells within `max` of the diagonal can stay within `max`: the rest count as max + 1.
  const over = max + 1;
  for (let j = 0; j <= lb; j++) rowPrev[j] = j <= max ? j : over;
  for (let i = 1; i <= la; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(lb, i + max);
    rowCur[0] = i <= max ? i : over;
    if (lo > 1) rowCur[lo - 1] = over;
    let rowMin = rowCur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(rowPrev[j] + 1, rowCur[j - 1] + 1, rowPrev[j - 1] + cost, over);
      rowCur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < lb) rowCur[hi + 1] = over;
    if (rowMin > max) return over;
    const t = rowPrev;
    rowPrev = rowCur;
    rowCur = t;
  }
  const d = rowPrev[lb];
  return d > max ? max + 1 : d;
}

/**
 * Whether two strings are at most one edit apart (Levenshtein <= 1) in one pass, without the
 * table: identifiers and postcodes of different people are compared for every candidate.
 */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let differences = 0;
    for (let i = 0; i < la; i++) if (a.charCodeAt(i) !== b.charCodeAt(i) && ++differences > 1) return false;
    return true;
  }
  if (la - lb !== 1 && lb - la !== 1) return false;
  const short = la < lb ? a : b;
  const long = la < lb ? b : a;
  let i = 0;
  let j = 0;
  let skipped = false;
  while (i < short.length) {
    if (short.charCodeAt(i) === long.charCodeAt(j)) {
      i++;
      j++;
    } else {
      if (skipped) return false;
      skipped = true;
      j++;
    }
  }
  return true;
}
