/**
 * A trained Fellegi-Sunter model as plain data (stored and versioned by the service), and the
 * scoring of a pair against it. Weights are log2 Bayes factors, as in Splink: a level adds
 * log2(m/u), the prior adds log2(lambda / (1 - lambda)), and exact agreement on a name is
 * adjusted by how common the name is: log2(u_exact / tf(value)).
 */
import { COMPARISONS, ComparisonSpec, NULL_LEVEL, TermFrequencyField } from './comparisons';
import { MatchRecord } from './match-record';

export const MODEL_FORMAT = 'fellegi-sunter/1';

export interface LevelParameters {
  readonly label: string;
  /** P(level | same person). */
  readonly m: number;
  /** P(level | different people). */
  readonly u: number;
}

export interface ComparisonParameters {
  readonly name: string;
  /** Levels 1..n (the null level has no parameters: its weight is 0). */
  readonly levels: readonly LevelParameters[];
}

export interface MatchModel {
  readonly format: typeof MODEL_FORMAT;
  /** Hash of everything below: two models with the same parameters have the same version. */
  readonly version: string;
  /** Prior: the chance that two records drawn at random are the same person. */
  readonly probabilityTwoRandomRecordsMatch: number;
  readonly comparisons: readonly ComparisonParameters[];
  /** Relative frequency of each value seen more than once; others count as seen once. */
  readonly termFrequencies: Readonly<Record<TermFrequencyField, Readonly<Record<string, number>>>>;
  /** The frequency of a value seen once (1 / values counted). */
  readonly minimumTermFrequency: Readonly<Record<TermFrequencyField, number>>;
  readonly training: Readonly<Record<string, number>>;
}

/** 53-bit FNV-1a style hash over the canonical JSON (two 32-bit lanes), as hex. */
export function stableHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Sets the version of a model from its parameters. */
export function withVersion(model: Omit<MatchModel, 'version'>): MatchModel {
  const parameters = Object.fromEntries(Object.entries(model).filter(([key]) => key !== 'version'));
  return { ...model, version: `fs-${stableHash(canonicalJson(parameters))}` };
}

/** Weights laid out for the hot loop; derived once per model object and cached. */
export interface CompiledModel {
  readonly model: MatchModel;
  readonly specs: readonly ComparisonSpec[];
  readonly names: readonly string[];
  /** weights[c][level]; level 0 is 0. */
  readonly weights: readonly Float64Array[];
  readonly priorWeight: number;
  readonly termFrequencies: ReadonlyArray<{ readonly field: TermFrequencyField; readonly table: ReadonlyMap<string, number>; readonly minimum: number; readonly uExact: number } | null>;
}

const compiledCache = new WeakMap<MatchModel, CompiledModel>();

export function compileModel(model: MatchModel): CompiledModel {
  const cached = compiledCache.get(model);
  if (cached) return cached;
  const specs: ComparisonSpec[] = [];
  const weights: Float64Array[] = [];
  const termFrequencies: Array<CompiledModel['termFrequencies'][number]> = [];
  for (const params of model.comparisons) {
    const spec = COMPARISONS.find((c) => c.name === params.name);
    // A model names comparisons this code defines; anything else is a bug in how it was stored.
    if (!spec) throw new Error(`model ${model.version} has unknown comparison "${params.name}"`);
    if (params.levels.length !== spec.levels.length - 1) throw new Error(`model ${model.version}: "${params.name}" has ${params.levels.length} levels, code has ${spec.levels.length - 1}`);
    specs.push(spec);
    const w = new Float64Array(spec.levels.length);
    params.levels.forEach((l, i) => (w[i + 1] = Math.log2(l.m / l.u)));
    // A name in the other field is the same evidence as the name in its own field, never more:
    // EM finds swaps rare among random pairs (tiny u), and both name comparisons see the one
    // swap, so unbounded it would outweigh exact agreement on both names.
    if (spec.swappedLevel !== undefined) w[spec.swappedLevel] = Math.min(w[spec.swappedLevel], w[1]);
    weights.push(w);
    const field = spec.termFrequency;
    termFrequencies.push(
      field
        ? {
            field,
            table: new Map(Object.entries(model.termFrequencies[field] ?? {})),
            minimum: model.minimumTermFrequency[field] ?? 1e-6,
            uExact: params.levels[0].u,
          }
        : null,
    );
  }
  const lambda = model.probabilityTwoRandomRecordsMatch;
  const compiled: CompiledModel = { model, specs, names: specs.map((s) => s.name), weights, priorWeight: Math.log2(lambda / (1 - lambda)), termFrequencies };
  compiledCache.set(model, compiled);
  return compiled;
}

function termValue(field: TermFrequencyField, r: MatchRecord): string | null {
  switch (field) {
    case 'givenName':
      return r.givenName;
    case 'familyName':
      return r.familyName;
    case 'locality':
      return r.localities[0] ?? null;
    default: {
      const unknownField: never = field;
      return unknownField;
    }
  }
}

/** Largest correction a term frequency may make, so that one odd table entry cannot decide alone. */
const MAX_TF_ADJUSTMENT = 6;

/** Whether a level's weight is adjusted by how common the agreeing value is. */
function adjustedByFrequency(spec: ComparisonSpec, level: number): boolean {
  return level === 1 || level === spec.swappedLevel;
}

/**
 * The adjustment for the more common of the two values: for exact agreement they are one
 * value; for a swap ("Jones Sarah" against "Sarah Jones") the one in its usual field is the
 * common given name, not the rare given name "Jones". On the hot path: allocates nothing.
 */
function termFrequencyWeight(compiled: CompiledModel, c: number, a: MatchRecord, b: MatchRecord): number {
  const tf = compiled.termFrequencies[c];
  if (!tf) return 0;
  const x = termValue(tf.field, a);
  const y = termValue(tf.field, b);
  if (x === null && y === null) return 0;
  let frequency = tf.minimum;
  if (x !== null) frequency = Math.max(frequency, tf.table.get(x) ?? 0);
  if (y !== null && y !== x) frequency = Math.max(frequency, tf.table.get(y) ?? 0);
  return clampAdjustment(Math.log2(tf.uExact / frequency));
}

function clampAdjustment(adjustment: number): number {
  return Math.max(-MAX_TF_ADJUSTMENT, Math.min(MAX_TF_ADJUSTMENT, adjustment));
}

export function probabilityFromWeight(weight: number): number {
  return 1 / (1 + Math.pow(2, -weight));
}

/**
 * The hot path: total match weight (prior included) of a pair, writing each comparison's level
 * into `levels` when given. Allocates nothing.
 */
export function matchWeight(a: MatchRecord, b: MatchRecord, compiled: CompiledModel, levels?: Uint8Array): number {
  let total = compiled.priorWeight;
  const specs = compiled.specs;
  for (let c = 0; c < specs.length; c++) {
    const level = specs[c].level(a, b);
    if (levels) levels[c] = level;
    if (level === NULL_LEVEL) continue;
    total += compiled.weights[c][level];
    if (adjustedByFrequency(specs[c], level)) total += termFrequencyWeight(compiled, c, a, b);
  }
  return total;
}

/**
 * The order in which the pruned hot path evaluates a model's comparisons, and how much weight
 * the comparisons after each position could still add at most. Most candidate pairs are
 * different people; evaluating first the comparisons that move the bound most (and cost least)
 * lets the scorer stop as soon as the pair can no longer reach the review threshold.
 */
export interface ScoringPlan {
  readonly compiled: CompiledModel;
  /** Comparison indices, in evaluation order: `decisive` first, then cheap ones, each group widest range first. */
  readonly order: Int32Array;
  /** How many of `order` are decisive: exact agreement on one of them may decide alone, so it is scored in full. */
  readonly decisiveCount: number;
  /** bestAfter[k]: the most the comparisons order[k..] can add together (never below 0: a null level adds 0). */
  readonly bestAfter: Float64Array;
  /** Per comparison: the most a level without a term-frequency adjustment adds (at least 0, the null level). */
  readonly mostUnadjusted: Float64Array;
  /** Per comparison: the largest weight of a level that a term frequency adjusts; -Infinity when none is. */
  readonly mostAdjusted: Float64Array;
  /** Per comparison: the largest adjustment any value may get (a bound for a record without the value). */
  readonly mostFrequencyAdjustment: Float64Array;
}

const EXACT_LEVEL = 1;
const planCache = new WeakMap<CompiledModel, Map<string, ScoringPlan>>();

export function scoringPlan(compiled: CompiledModel, decisive: readonly number[]): ScoringPlan {
  const cacheKey = decisive.join(',');
  let perModel = planCache.get(compiled);
  if (!perModel) planCache.set(compiled, (perModel = new Map()));
  const cached = perModel.get(cacheKey);
  if (cached) return cached;
  const n = compiled.specs.length;
  const most = new Float64Array(n);
  const least = new Float64Array(n);
  const mostUnadjusted = new Float64Array(n);
  const mostAdjusted = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const mostFrequencyAdjustment = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const tf = compiled.termFrequencies[c];
    const maxTf = tf ? clampAdjustment(Math.log2(tf.uExact / tf.minimum)) : 0;
    mostFrequencyAdjustment[c] = maxTf;
    let lo = 0;
    const w = compiled.weights[c];
    for (let level = 1; level < w.length; level++) {
      lo = Math.min(lo, w[level]);
      if (adjustedByFrequency(compiled.specs[c], level)) mostAdjusted[c] = Math.max(mostAdjusted[c], w[level]);
      else mostUnadjusted[c] = Math.max(mostUnadjusted[c], w[level]);
    }
    most[c] = Math.max(mostUnadjusted[c], mostAdjusted[c] + Math.max(0, maxTf));
    least[c] = lo;
  }
  // Widest range first: a comparison that is usually missing (identifiers, e-mail) takes its
  // whole possible bonus off the bound, one that disagrees takes its range; either way the
  // bound falls fastest and unrelated pairs stop early.
  const range = (c: number) => most[c] - least[c];
  // Cheap comparisons (no string similarity) before the rest.
  const cost = (c: number) => (compiled.specs[c].cheap ? 0 : 1);
  const rest = Array.from({ length: n }, (_, c) => c).filter((c) => !decisive.includes(c)).sort((x, y) => cost(x) - cost(y) || range(y) - range(x) || x - y);
  const order = Int32Array.from([...decisive.filter((c) => c >= 0 && c < n), ...rest]);
  const bestAfter = new Float64Array(n + 1);
  for (let k = n - 1; k >= 0; k--) bestAfter[k] = bestAfter[k + 1] + most[order[k]];
  const plan: ScoringPlan = { compiled, order, decisiveCount: order.length - rest.length, bestAfter, mostUnadjusted, mostAdjusted, mostFrequencyAdjustment };
  perModel.set(cacheKey, plan);
  return plan;
}

/** Scratch space for `matchWeightFrom`, one per caller (the hot path allocates nothing). */
export interface ScoringScratch {
  /** `boundsFor`'s answer for the record it was last asked about. */
  readonly bestAfter: Float64Array;
  readonly levels: Uint8Array;
  readonly levelWeights: Float64Array;
  readonly frequencyWeights: Float64Array;
}

export function scoringScratch(compiled: CompiledModel): ScoringScratch {
  const n = compiled.specs.length;
  return { bestAfter: new Float64Array(n + 1), levels: new Uint8Array(n), levelWeights: new Float64Array(n), frequencyWeights: new Float64Array(n) };
}

/**
 * The plan's `bestAfter`, made tighter for pairs whose first record is `a`, to be computed once
 * and used for all of `a`'s candidates. Two things about `a` alone bound what its pairs can
 * add: a field it lacks adds nothing (most records carry no e-mail, phone or middle name and
 * one or two of the six identifier schemes), and a term-frequency adjustment weighs the more
 * common of the two values (`termFrequencyWeight`), so never more than `a`'s own value's (for
 * a common name, far below the rarest name's). A pair of two different people is then seen to
 * fall short of the floor before its last, costliest comparisons. Still an upper bound, so what
 * is pruned and every weight scored are unchanged.
 */
export function boundsFor(a: MatchRecord, plan: ScoringPlan, scratch: ScoringScratch): Float64Array {
  const { compiled, order, mostUnadjusted, mostAdjusted, mostFrequencyAdjustment } = plan;
  const out = scratch.bestAfter;
  out[order.length] = 0;
  for (let k = order.length - 1; k >= 0; k--) {
    const c = order[k];
    // a field `a` lacks adds nothing to any of its pairs
    const scoredFor = compiled.specs[c].scoredFor;
    if (scoredFor && !scoredFor(a)) {
      out[k] = out[k + 1];
      continue;
    }
    const tf = compiled.termFrequencies[c];
    let adjustment = mostFrequencyAdjustment[c];
    if (tf) {
      const value = termValue(tf.field, a);
      if (value !== null) adjustment = clampAdjustment(Math.log2(tf.uExact / Math.max(tf.minimum, tf.table.get(value) ?? 0)));
    }
    out[k] = out[k + 1] + Math.max(mostUnadjusted[c], mostAdjusted[c] + adjustment);
  }
  return out;
}

/**
 * `matchWeight`, but -Infinity as soon as the pair provably cannot reach `floor` (then the
 * levels are incomplete) unless a decisive comparison agrees exactly. `bestAfter` is the plan's
 * or, tighter, `boundsFor(a, …)`. A pair that is scored in full gets exactly `matchWeight`'s
 * value: the parts are added up in model order.
 */
export function matchWeightFrom(a: MatchRecord, b: MatchRecord, plan: ScoringPlan, floor: number, scratch: ScoringScratch, bestAfter: Float64Array = plan.bestAfter): number {
  const { compiled, order, decisiveCount } = plan;
  const specs = compiled.specs;
  const { levels, levelWeights, frequencyWeights } = scratch;
  let partial = compiled.priorWeight;
  let prunable = true;
  for (let k = 0; k < order.length; k++) {
    const c = order[k];
    const level = specs[c].level(a, b);
    levels[c] = level;
    let w = 0;
    let tf = 0;
    if (level !== NULL_LEVEL) {
      w = compiled.weights[c][level];
      if (adjustedByFrequency(specs[c], level)) tf = termFrequencyWeight(compiled, c, a, b);
    }
    levelWeights[c] = w;
    frequencyWeights[c] = tf;
    partial += w + tf;
    if (k < decisiveCount) {
      if (level === EXACT_LEVEL) prunable = false;
    } else if (prunable && partial + bestAfter[k + 1] < floor) {
      return Number.NEGATIVE_INFINITY;
    }
  }
  // the same additions, in the same order, as matchWeight: equal to the last bit
  let total = compiled.priorWeight;
  for (let c = 0; c < specs.length; c++) {
    if (levels[c] === NULL_LEVEL) continue;
    total += levelWeights[c];
    if (adjustedByFrequency(specs[c], levels[c])) total += frequencyWeights[c];
  }
  return total;
}

export interface ComparisonOutcome {
  readonly comparison: string;
  readonly level: string;
  readonly levelIndex: number;
  /** log2(m/u) of the level. */
  readonly bayesFactorWeight: number;
  /** Term-frequency adjustment (exact agreement on a name or locality only). */
  readonly termFrequencyWeight: number;
  /** What this comparison adds to the total. */
  readonly weight: number;
}

export interface PairScore {
  readonly modelVersion: string;
  readonly priorWeight: number;
  /** Prior plus every comparison's weight. */
  readonly matchWeight: number;
  readonly probability: number;
  /** The waterfall: one step per comparison, in model order. */
  readonly comparisons: readonly ComparisonOutcome[];
}

/** Scores a pair with its full explanation. */
export function score(a: MatchRecord, b: MatchRecord, model: MatchModel): PairScore {
  const compiled = compileModel(model);
  const comparisons: ComparisonOutcome[] = [];
  let total = compiled.priorWeight;
  compiled.specs.forEach((spec, c) => {
    const levelIndex = spec.level(a, b);
    const bayesFactorWeight = levelIndex === NULL_LEVEL ? 0 : compiled.weights[c][levelIndex];
    const tfWeight = adjustedByFrequency(spec, levelIndex) ? termFrequencyWeight(compiled, c, a, b) : 0;
    const weight = bayesFactorWeight + tfWeight;
    total += weight;
    comparisons.push({ comparison: spec.name, level: spec.levels[levelIndex], levelIndex, bayesFactorWeight, termFrequencyWeight: tfWeight, weight });
  });
  return { modelVersion: model.version, priorWeight: compiled.priorWeight, matchWeight: total, probability: probabilityFromWeight(total), comparisons };
}

/** A model with the default parameters of the comparisons: usable before any training. */
export function defaultModel(probabilityTwoRandomRecordsMatch = 1e-4): MatchModel {
  return withVersion({
    format: MODEL_FORMAT,
    probabilityTwoRandomRecordsMatch,
    comparisons: COMPARISONS.map((spec) => ({
      name: spec.name,
      levels: spec.levels.slice(1).map((label, i) => ({ label, m: spec.defaultM[i], u: spec.defaultU[i] })),
    })),
    termFrequencies: { givenName: {}, familyName: {}, locality: {} },
    minimumTermFrequency: { givenName: 1e-4, familyName: 1e-4, locality: 1e-4 },
    training: {},
  });
}
