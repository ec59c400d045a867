/**
 * One offline evaluation run: shuffle, hide the source ids behind random ones, train the model
 * on the records alone, stream them through the resolver, then score the final masters against
 * the truth. Truth labels are used only after resolution, for scoring.
 */
import { scoreClustering } from '@hub/synthetic';
import {
  blockingKeys, DecisionPolicy, DEFAULT_DECISION_POLICY, DEFAULT_RESOLVER_OPTIONS, IncrementalResolver, MatchRecord, NameTables,
  ResolverOptions, seededRandom, toMatchRecord, trainModel,
} from '../domain';
import { LabelledRecord } from './labelled-record';

export interface ShuffleMetrics {
  records: number;
  truePairs: number;
  predictedPairs: number;
  precision: number;
  recall: number;
  f1: number;
  pairPrecision: number;
  pairRecall: number;
  pairF1: number;
  b3F1: number;
  inReview: number;
  blockingRecall: number;
  candidateRecall: number;
  candidatesPerRecord: number;
  seconds: number;
  modelVersion: string;
  lambda: number;
}

export interface EvaluationConfig {
  names: NameTables;
  policy?: DecisionPolicy;
  resolver?: Partial<ResolverOptions>;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
const f1Of = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

type PairMeasures = Pick<ShuffleMetrics, 'records' | 'truePairs' | 'predictedPairs' | 'precision' | 'recall' | 'f1' | 'pairPrecision' | 'pairRecall' | 'pairF1'>;

/**
 * Pairwise measures of the final clusters beside Splink's pairwise view: `linked` scored pairs
 * at or above the link probability, `correct` of them truly matching.
 */
export function pairMeasures(records: number, clustering: ReturnType<typeof scoreClustering>, linked: number, correct: number): PairMeasures {
  const truePairs = clustering.pairwise.truePairs;
  const pairPrecision = linked === 0 ? 1 : correct / linked;
  const pairRecall = truePairs === 0 ? 1 : correct / truePairs;
  return {
    records, truePairs, predictedPairs: clustering.pairwise.predictedPairs,
    precision: clustering.pairwise.precision, recall: clustering.pairwise.recall, f1: clustering.pairwise.f1,
    pairPrecision, pairRecall, pairF1: f1Of(pairPrecision, pairRecall),
  };
}

export function evaluateShuffle(labelled: readonly LabelledRecord[], seed: number, config: EvaluationConfig): ShuffleMetrics {
  const started = process.hrtime.bigint();
  const random = seededRandom(seed);
  const order = shuffled(labelled, random);
  // Opaque ids: nothing of the source row (its position, its id) reaches the matcher.
  const truthOf = new Map<string, string>();
  const records: MatchRecord[] = order.map((row, i) => {
    const id = `r${Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0')}${i.toString(36)}`;
    truthOf.set(id, row.truth);
    return toMatchRecord(id, 'benchmark', row.person, { names: config.names });
  });

  const model = trainModel(records);
  const policy = config.policy ?? DEFAULT_DECISION_POLICY;
  const resolver = new IncrementalResolver(model, {
    ...DEFAULT_RESOLVER_OPTIONS,
    policy,
    mergeGuard: { ...DEFAULT_RESOLVER_OPTIONS.mergeGuard, minBridgeProbability: policy.linkProbability },
    ...config.resolver,
  });
  const linkedPairs = new Set<string>();
  const candidatePairs = new Set<string>();
  let candidates = 0;
  for (const r of records) {
    const res = resolver.add(r);
    candidates += res.candidates;
    for (const c of res.candidateIds) candidatePairs.add(pairKey(r.id, c));
    for (const e of res.edges) if (e.kind !== 'review') linkedPairs.add(pairKey(e.a, e.b));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const ids = records.map((r) => r.id);
  const truth = ids.map((id) => truthOf.get(id) as string);
  const predicted = ids.map((id) => resolver.masterOf(id) as string);
  const clustering = scoreClustering(predicted, truth);

  let correctLinked = 0;
  for (const key of linkedPairs) {
    const [a, b] = key.split('|');
    if (truthOf.get(a) === truthOf.get(b)) correctLinked++;
  }
  const truePairs = clustering.pairwise.truePairs;

  const byTruth = new Map<string, MatchRecord[]>();
  for (const r of records) {
    const t = truthOf.get(r.id) as string;
    byTruth.set(t, [...(byTruth.get(t) ?? []), r]);
  }
  let sharing = 0;
  let scored = 0;
  for (const group of byTruth.values()) {
    const keys = group.map((r) => new Set(blockingKeys(r)));
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        if ([...keys[i]].some((k) => keys[j].has(k))) sharing++;
        if (candidatePairs.has(pairKey(group[i].id, group[j].id))) scored++;
      }
    }
  }

  const sizes = new Map<string, number>();
  for (const m of predicted) sizes.set(m, (sizes.get(m) ?? 0) + 1);
  const reviewed = new Set(resolver.reviewQueue().flatMap((r) => [r.recordId, r.otherRecordId]));
  const inReview = [...reviewed].filter((id) => sizes.get(resolver.masterOf(id) as string) === 1).length;

  return {
    ...pairMeasures(records.length, clustering, linkedPairs.size, correctLinked),
    b3F1: clustering.bcubed.f1,
    inReview,
    blockingRecall: truePairs === 0 ? 1 : sharing / truePairs,
    candidateRecall: truePairs === 0 ? 1 : scored / truePairs,
    candidatesPerRecord: candidates / Math.max(1, records.length),
    seconds,
    modelVersion: model.version,
    lambda: model.probabilityTwoRandomRecordsMatch,
  };
}
