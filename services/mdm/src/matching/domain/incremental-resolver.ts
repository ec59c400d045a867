/**
 * Streaming entity resolution: records arrive one at a time and are linked to a master person,
 * make a new one, or wait for clerical review. This in-memory resolver is the reference the
 * mdm service must agree with for the same order of records, so everything here is
 * deterministic: insertion-ordered maps, and every sort has a total tie-break.
 *
 * The match graph (scored edges with their model version) is kept, not only the assignment,
 * so that a withdrawn or corrected record, or a reviewer's cannot-link, can split a master:
 * the parts are the connected components of the remaining link edges.
 *
 * Master ids are stable: a merge keeps the oldest id and the others become its aliases; a
 * split leaves the id with the largest part (tie: the part with the oldest record) and revives
 * a former alias for the part that holds most of that alias's records.
 */
import { BlockingOptions, CandidateIndex, DEFAULT_BLOCKING } from './blocking';
import { datesOfBirthDiffer, middleNamesDiffer } from './comparisons';
import { DecisionLayout, DecisionPolicy, DEFAULT_DECISION_POLICY, decideFromLevels, decisionLayout } from './decision';
import { MatchRecord } from './match-record';
import { boundsFor, CompiledModel, compileModel, MatchModel, matchWeightFrom, probabilityFromWeight, ScoringPlan, scoringPlan, ScoringScratch, scoringScratch } from './model';

export interface MergeGuard {
  /** A record that links to two masters merges them only if each bridging link is at least this likely. */
  minBridgeProbability: number;
  /**
   * Also require one scored edge (link or review) between the masters themselves, besides the
   * bridging record: a guard against chains A~B~C where A and C share nothing.
   */
  requirePairwiseSupport: boolean;
}

export interface ResolverOptions {
  policy: DecisionPolicy;
  maxCandidates: number;
  blocking: BlockingOptions;
  mergeGuard: MergeGuard;
  /** Makes the id of the n-th master (n from 1); must be unique per n. */
  masterId: (sequence: number) => string;
}

export const DEFAULT_RESOLVER_OPTIONS: ResolverOptions = {
  policy: DEFAULT_DECISION_POLICY,
  // 20 was tried: in the library a third less resolver time for 99.9% of the same pairs, but
  // through the pipeline every shuffle of the medium city lost 0.0002-0.0007 of f1, which took
  // its mean below the 0.99 target, so the cap stays at 50 (docs/benchmarks.md, "Fewer
  // candidates: tried, not kept").
  maxCandidates: 50,
  blocking: DEFAULT_BLOCKING,
  mergeGuard: { minBridgeProbability: DEFAULT_DECISION_POLICY.linkProbability, requirePairwiseSupport: false },
  masterId: (n) => `m-${n}`,
};

export type EdgeKind = 'link' | 'review' | 'must-link';

export interface MatchEdge {
  readonly a: string;
  readonly b: string;
  readonly kind: EdgeKind;
  readonly reason: 'score' | 'trusted-identifier' | 'conflicting-identifier' | 'household-guard' | 'conflict-guard' | 'review-decision';
  readonly weight: number;
  readonly probability: number;
  readonly modelVersion: string;
}

export type MergeReason = 'MATCHED' | 'REVIEW_DECISION' | 'MODEL_PROMOTED';

/**
 * A scored edge as the log keeps it: the other record, the edge's kind and reason, and its
 * weight, exactly as scored. A replay that restores these instead of scoring again reproduces
 * the masters that were committed, whichever version of the matcher replays them, and skips
 * the blocking and the comparisons, most of a record's cost. Reviewers' must-links are not
 * kept here: they are restored from the decisions, as when the record was first resolved.
 */
export type RecordedEdge = readonly [other: string, kind: 'link' | 'review', reason: MatchEdge['reason'], weight: number];

/** The recorded form of the scored edges among `edges` (must-links are left out: see RecordedEdge). */
export function recordedEdges(recordId: string, edges: readonly MatchEdge[]): RecordedEdge[] {
  const out: RecordedEdge[] = [];
  for (const e of edges) if (e.kind !== 'must-link') out.push([e.a === recordId ? e.b : e.a, e.kind, e.reason, e.weight]);
  return out;
}

export interface SplitPart {
  readonly masterId: string;
  readonly version: number;
  readonly records: readonly string[];
  /** True when the id is a former alias brought back, false for a new id. */
  readonly revived: boolean;
}

export type MasterEvent =
  | { readonly type: 'created'; readonly masterId: string; readonly version: number; readonly records: readonly string[] }
  | { readonly type: 'updated'; readonly masterId: string; readonly version: number; readonly records: readonly string[]; readonly added: readonly string[]; readonly removed: readonly string[] }
  | {
      readonly type: 'merged'; readonly masterId: string; readonly version: number; readonly records: readonly string[];
      readonly mergedIds: readonly string[]; readonly reason: MergeReason; readonly matchWeight: number | null;
    }
  | { readonly type: 'split'; readonly masterId: string; readonly version: number; readonly records: readonly string[]; readonly parts: readonly SplitPart[] }
  | { readonly type: 'retired'; readonly masterId: string; readonly version: number };

export interface ReviewItem {
  readonly recordId: string;
  readonly otherRecordId: string;
  readonly weight: number;
  readonly probability: number;
  readonly reason: MatchEdge['reason'] | 'merge-guard';
  readonly modelVersion: string;
}

export interface Resolution {
  readonly recordId: string;
  readonly masterId: string;
  readonly outcome: 'linked' | 'created';
  /** Created alone but with pairs waiting for review: counts as not linked until decided. */
  readonly inReview: boolean;
  readonly candidates: number;
  readonly candidateIds: readonly string[];
  /** Edges scored at link or review level for this record. */
  readonly edges: readonly MatchEdge[];
  readonly reviews: readonly ReviewItem[];
  readonly events: readonly MasterEvent[];
}

export type ResolverErrorCode = 'MDM.MUST_LINK_CONFLICTS_WITH_CANNOT_LINK' | 'MDM.CANNOT_LINK_CONFLICTS_WITH_MUST_LINK' | 'MDM.SAME_RECORD';

export type DecisionResult =
  | { readonly ok: true; readonly events: readonly MasterEvent[] }
  | { readonly ok: false; readonly error: { readonly code: ResolverErrorCode; readonly message: string } };

/**
 * Every id the resolver ever made, live master or not, in one map entry: its creation order
 * (the oldest survives a merge), its version, and, while it is a live master, its records.
 * One entry and one array, where maps of births and versions and a Set of members were three
 * entries and a Set; at a city's scale that is half a million masters (docs/benchmarks.md,
 * "Fewer map entries per record").
 */
interface MasterState {
  readonly born: number;
  version: number;
  /**
   * In arrival order (a join appends the newest record), so listing them needs no sort; null
   * while the id is not a live master (an alias, or retired).
   */
  members: string[] | null;
}

type LiveMaster = MasterState & { members: string[] };

/**
 * What the resolver holds for each present record, in one map entry where three maps had one
 * each: its arrival (lower is older), its master, and the first of its scored edges (the rest
 * follow through the edges themselves: `nextAt`, in the order they were stored).
 */
class PresentRecord {
  master: string | undefined = undefined;
  edges: StoredEdge | undefined = undefined;
  constructor(readonly arrival: number) {}
}

/**
 * Two groups of records whose values of one field cannot be one person's: both groups hold the
 * field, and no value of one is compatible with any of the other (`differ` says incompatible).
 * Compared once per distinct value (`key`).
 */
function valuesConflict(
  x: readonly MatchRecord[], y: readonly MatchRecord[], key: (r: MatchRecord) => string | undefined, differ: (a: MatchRecord, b: MatchRecord) => boolean,
): boolean {
  const distinct = (records: readonly MatchRecord[]) => {
    const byValue = new Map<string, MatchRecord>();
    for (const r of records) {
      const k = key(r);
      if (k !== undefined && !byValue.has(k)) byValue.set(k, r);
    }
    return [...byValue.values()];
  };
  const a = distinct(x);
  if (a.length === 0) return false;
  const b = distinct(y);
  if (b.length === 0) return false;
  for (const p of a) for (const q of b) if (!differ(p, q)) return false;
  return true;
}

/**
 * Where the resolver keeps its edges' weights: one growing array of doubles, an edge holding
 * only its slot. A double in an object's field is a separate heap object in V8 (a boxed
 * number), so an edge with its weight and probability as fields was three objects; at a
 * city's scale there are millions of edges, and each object is work for every full garbage
 * collection (docs/benchmarks.md, "Fewer objects per record, again"). Slots are never reused:
 * an edge dropped from the graph (a withdrawal, a correction, a rescore) may still be held by a
 * caller, and must keep its weight; what that costs is 8 bytes per edge ever scored.
 */
class EdgeWeights {
  private values = new Float64Array(1024);
  private used = 0;

  add(weight: number): number {
    if (this.used === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.used] = weight;
    return this.used++;
  }

  get(slot: number): number {
    return this.values[slot]!;
  }
}

/**
 * A scored edge as the resolver stores it: one object, its weight in `EdgeWeights`, and its
 * place in each end's list of edges (the next edge of `a`, the next edge of `b`): a list
 * threaded through the edges themselves needs no array per record.
 */
class StoredEdge implements MatchEdge {
  // private (#) fields: a caller given an edge sees, and serialises, only the MatchEdge
  #weights: EdgeWeights;
  #slot: number;
  #nextAtA: StoredEdge | undefined = undefined;
  #nextAtB: StoredEdge | undefined = undefined;

  constructor(
    readonly a: string,
    readonly b: string,
    readonly kind: EdgeKind,
    readonly reason: MatchEdge['reason'],
    readonly modelVersion: string,
    weights: EdgeWeights,
    slot: number,
  ) {
    this.#weights = weights;
    this.#slot = slot;
  }

  get weight(): number {
    return this.#weights.get(this.#slot);
  }

  /** Derived, never stored: the same function of the weight that decided the edge (1 for a must-link's infinite weight). */
  get probability(): number {
    return probabilityFromWeight(this.#weights.get(this.#slot));
  }

  toJSON(): MatchEdge {
    return { a: this.a, b: this.b, kind: this.kind, reason: this.reason, weight: this.weight, probability: this.probability, modelVersion: this.modelVersion };
  }

  /** The edge after `e` in `recordId`'s list. */
  static nextAt(e: StoredEdge, recordId: string): StoredEdge | undefined {
    return e.a === recordId ? e.#nextAtA : e.#nextAtB;
  }

  static setNextAt(e: StoredEdge, recordId: string, next: StoredEdge | undefined): void {
    if (e.a === recordId) e.#nextAtA = next;
    else e.#nextAtB = next;
  }
}

/** The record at the other end of an edge of `recordId`. */
const otherEnd = (e: MatchEdge, recordId: string): string => (e.a === recordId ? e.b : e.a);

const { nextAt, setNextAt } = StoredEdge;

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

export class IncrementalResolver {
  private readonly options: ResolverOptions;
  private model: MatchModel;
  private compiled: CompiledModel;
  private layout: DecisionLayout;
  private plan: ScoringPlan;
  private scratch: ScoringScratch;
  /** Below this weight a pair is no match (unless a trusted identifier decides): scoring may stop there. */
  private readonly reviewFloor: number;
  private readonly index: CandidateIndex;
  /** Each present record's arrival, master and edges. */
  private readonly present = new Map<string, PresentRecord>();
  private nextArrival = 0;
  /** Every id ever made (masters and aliases), in creation order. */
  private readonly ids = new Map<string, MasterState>();
  private nextMaster = 1;
  private readonly aliasOf = new Map<string, string>();
  private readonly aliasChildren = new Map<string, Set<string>>();
  /** The records an alias had when it was merged away: decides which part revives it. */
  private readonly aliasRecords = new Map<string, readonly string[]>();
  private readonly mustLinks = new Map<string, Set<string>>();
  private readonly cannotLinks = new Map<string, Set<string>>();
  private readonly reviews = new Map<string, ReviewItem>();
  private readonly edgeWeights = new EdgeWeights();

  constructor(model: MatchModel, options: Partial<ResolverOptions> = {}) {
    this.options = { ...DEFAULT_RESOLVER_OPTIONS, ...options };
    this.model = model;
    this.compiled = compileModel(model);
    this.layout = decisionLayout(this.compiled, this.options.policy);
    this.plan = scoringPlan(this.compiled, this.layout.trustedIdentifiers);
    this.scratch = scoringScratch(this.compiled);
    const review = this.options.policy.reviewProbability;
    // a hair below the exact threshold, so that rounding can never prune a pair at review level
    this.reviewFloor = Math.log2(review / (1 - review)) - 1e-6;
    this.index = new CandidateIndex(this.options.blocking);
  }

  get modelVersion(): string {
    return this.model.version;
  }

  /**
   * Adds a record, or replaces it when its id is known (a correction). `recorded`: the edges
   * the record was given when it was first resolved (a replay of the log), restored instead of
   * scored; if one of them names a record not held (a log that does not belong to this state),
   * the record is scored as usual.
   */
  add(record: MatchRecord, recorded?: readonly RecordedEdge[]): Resolution {
    const events: MasterEvent[] = [];
    if (this.present.has(record.id)) events.push(...this.withdraw(record.id));
    let candidates: readonly MatchRecord[] = [];
    let newEdges = recorded ? this.restoreEdges(record.id, recorded) : undefined;
    if (!newEdges) {
      candidates = this.index.candidates(record, this.options.maxCandidates);
      newEdges = this.scoreCandidates(record, candidates);
    }
    this.present.set(record.id, new PresentRecord(this.nextArrival++));
    for (const e of newEdges) this.storeEdge(e);

    const bridges = this.bridgesByMaster(record.id, newEdges);
    const accepted: Array<{ masterId: string; edge: MatchEdge }> = [];
    const reviews: ReviewItem[] = [];
    for (const bridge of bridges) {
      const forced = bridge.edge.kind === 'must-link';
      // A link to one record of a master is not a link to all of it: a father with no birth date
      // on one register matches his son's record there, but not the son's birth date.
      if (!forced && this.personalDetailsConflict([record], this.live(bridge.masterId)?.members ?? [])) {
        reviews.push(this.reviewFor(bridge.edge, record.id, 'conflict-guard'));
        continue;
      }
      if (accepted.length === 0) {
        accepted.push(bridge);
        continue;
      }
      const acceptedIds = accepted.map((x) => x.masterId);
      const guardHolds =
        forced ||
        (bridge.edge.probability >= this.options.mergeGuard.minBridgeProbability &&
          (!this.options.mergeGuard.requirePairwiseSupport || this.haveSupport(bridge.masterId, acceptedIds)) &&
          !this.personalDetailsConflict(this.recordsIn([bridge.masterId]), this.recordsIn(acceptedIds)));
      if (guardHolds && !this.mastersConflict([bridge.masterId], acceptedIds)) accepted.push(bridge);
      else reviews.push(this.reviewFor(bridge.edge, record.id, 'merge-guard'));
    }

    let masterId: string;
    if (accepted.length === 0) {
      masterId = this.createMaster([record.id]);
      events.push({ type: 'created', masterId, version: this.version(masterId), records: [record.id] });
    } else {
      masterId = accepted[0].masterId;
      if (accepted.length > 1) {
        const reason: MergeReason = accepted.some((x) => x.edge.kind === 'must-link') ? 'REVIEW_DECISION' : 'MATCHED';
        const weight = Math.min(...accepted.map((x) => x.edge.weight));
        const merged = this.merge(accepted.map((x) => x.masterId), reason, weight);
        masterId = merged.masterId;
        events.push(merged);
      }
      this.join(masterId, record.id);
      events.push({ type: 'updated', masterId, version: this.version(masterId), records: this.recordsOf(masterId), added: [record.id], removed: [] });
    }
    for (const e of newEdges) {
      if (e.kind !== 'review') continue;
      const other = e.a === record.id ? e.b : e.a;
      if (this.masterHolding(other) !== masterId) reviews.push(this.reviewFor(e, record.id, e.reason));
    }
    for (const r of reviews) this.reviews.set(pairKey(r.recordId, r.otherRecordId), r);
    this.index.add(record);
    return {
      recordId: record.id,
      masterId,
      outcome: accepted.length === 0 ? 'created' : 'linked',
      inReview: accepted.length === 0 && reviews.length > 0,
      candidates: candidates.length,
      candidateIds: candidates.map((c) => c.id),
      edges: newEdges,
      reviews,
      events,
    };
  }

  /** Removes a record; its master loses it and splits if it held the master together. */
  withdraw(recordId: string): MasterEvent[] {
    const held = this.present.get(recordId);
    if (!held) return [];
    this.index.remove(recordId);
    for (const e of this.edgesAt(recordId)) {
      const other = otherEnd(e, recordId);
      this.dropEdge(other, recordId);
      this.reviews.delete(pairKey(recordId, other));
    }
    // every review item is a scored edge of its pair, so the loop above has removed this record's;
    // its own list of edges goes with its entry
    this.present.delete(recordId);
    const masterId = held.master;
    if (masterId === undefined) return [];
    const master = this.live(masterId);
    if (!master) return [];
    const at = master.members.indexOf(recordId);
    if (at >= 0) master.members.splice(at, 1);
    if (master.members.length === 0) {
      (master as MasterState).members = null;
      return [{ type: 'retired', masterId, version: this.bump(masterId) }];
    }
    return this.reassess(masterId, [recordId]);
  }

  /** A reviewer says the two records are one person. Honoured now and by every later match. */
  addMustLink(a: string, b: string): DecisionResult {
    if (a === b) return { ok: false, error: { code: 'MDM.SAME_RECORD', message: `must-link of ${a} with itself` } };
    if (this.cannotLinks.get(a)?.has(b)) {
      return { ok: false, error: { code: 'MDM.MUST_LINK_CONFLICTS_WITH_CANNOT_LINK', message: `${a} and ${b} are marked as different people` } };
    }
    const ma = this.masterHolding(a);
    const mb = this.masterHolding(b);
    if (ma !== undefined && mb !== undefined && ma !== mb && this.mastersConflict([ma], [mb])) {
      return { ok: false, error: { code: 'MDM.MUST_LINK_CONFLICTS_WITH_CANNOT_LINK', message: `masters ${ma} and ${mb} hold records marked as different people` } };
    }
    addTo(this.mustLinks, a, b);
    addTo(this.mustLinks, b, a);
    this.reviews.delete(pairKey(a, b));
    if (ma === undefined || mb === undefined) return { ok: true, events: [] };
    this.storeEdge(this.mustLinkEdge(a, b));
    if (ma === mb) return { ok: true, events: [] };
    return { ok: true, events: [this.merge([ma, mb], 'REVIEW_DECISION', null)] };
  }

  /** A reviewer says the two records are different people: never in one master again. */
  addCannotLink(a: string, b: string): DecisionResult {
    if (a === b) return { ok: false, error: { code: 'MDM.SAME_RECORD', message: `cannot-link of ${a} with itself` } };
    if (this.mustLinks.get(a)?.has(b)) {
      return { ok: false, error: { code: 'MDM.CANNOT_LINK_CONFLICTS_WITH_MUST_LINK', message: `${a} and ${b} are marked as one person` } };
    }
    addTo(this.cannotLinks, a, b);
    addTo(this.cannotLinks, b, a);
    this.reviews.delete(pairKey(a, b));
    const ma = this.masterHolding(a);
    if (ma === undefined || ma !== this.masterHolding(b)) return { ok: true, events: [] };
    return { ok: true, events: this.reassess(ma, []) };
  }

  /**
   * Adopts another model. Every present record is scored again against the records that
   * arrived before it (as if it had arrived now, under the new model); masters that no longer
   * hold together split, and masters that a new link edge joins merge. The result is told as
   * ordinary split and merge events, and reviewers' decisions still hold.
   */
  rescore(model: MatchModel): MasterEvent[] {
    this.model = model;
    this.compiled = compileModel(model);
    this.layout = decisionLayout(this.compiled, this.options.policy);
    this.plan = scoringPlan(this.compiled, this.layout.trustedIdentifiers);
    this.scratch = scoringScratch(this.compiled);
    // Each record's list keeps its must-links, in order. Relinking one record's list changes
    // only the edges' pointers for that end, so the lists can be redone one by one.
    for (const [recordId, held] of this.present) {
      if (held.edges === undefined) continue;
      const kept = this.edgesAt(recordId).filter((e) => e.kind === 'must-link');
      held.edges = kept[0];
      kept.forEach((e, i) => setNextAt(e, recordId, kept[i + 1]));
    }
    this.reviews.clear();
    const inArrivalOrder = this.byArrival([...this.present.keys()]);
    for (const recordId of inArrivalOrder) {
      const record = this.index.get(recordId) as MatchRecord;
      const mine = this.arrivalOf(recordId) as number;
      const earlier = this.index.candidates(record, this.options.maxCandidates * 4).filter((c) => c.id !== recordId && (this.arrivalOf(c.id) ?? Infinity) < mine);
      for (const e of this.scoreCandidates(record, earlier.slice(0, this.options.maxCandidates))) if (e.kind !== 'must-link') this.storeEdge(e);
    }
    const events: MasterEvent[] = [];
    const inCreationOrder = () => this.liveIds().sort((x, y) => this.bornOf(x) - this.bornOf(y));
    for (const masterId of inCreationOrder()) if (this.live(masterId) !== undefined) events.push(...this.reassess(masterId, []));
    // Merges: link edges across masters, strongest first, under the same guards as a new record.
    const crossing: MatchEdge[] = [];
    for (const recordId of inArrivalOrder) {
      for (const e of this.edgesAt(recordId)) if (e.kind === 'link' && recordId < otherEnd(e, recordId)) crossing.push(e);
    }
    crossing.sort((x, y) => y.weight - x.weight || (pairKey(x.a, x.b) < pairKey(y.a, y.b) ? -1 : 1));
    for (const e of crossing) {
      const ma = this.masterHolding(e.a);
      const mb = this.masterHolding(e.b);
      if (ma === undefined || mb === undefined || ma === mb) continue;
      if (e.probability < this.options.mergeGuard.minBridgeProbability || this.mastersConflict([ma], [mb])) continue;
      if (this.personalDetailsConflict(this.recordsIn([ma]), this.recordsIn([mb]))) continue;
      events.push(this.merge([ma, mb], 'MODEL_PROMOTED', e.weight));
    }
    for (const recordId of inArrivalOrder) {
      for (const e of this.edgesAt(recordId)) {
        const other = otherEnd(e, recordId);
        if (e.kind === 'review' && recordId < other && this.masterHolding(recordId) !== this.masterHolding(other)) {
          const later = (this.arrivalOf(recordId) ?? 0) > (this.arrivalOf(other) ?? 0) ? recordId : other;
          this.reviews.set(pairKey(recordId, other), this.reviewFor(e, later, e.reason));
        }
      }
    }
    return events;
  }

  /** A present record's features (for explanations). */
  record(recordId: string): MatchRecord | undefined {
    return this.index.get(recordId);
  }

  /** The live master an id (master or alias) stands for. */
  resolve(masterId: string): string | undefined {
    let id = masterId;
    for (let hops = 0; hops <= this.aliasOf.size; hops++) {
      if (this.live(id) !== undefined) return id;
      const next = this.aliasOf.get(id);
      if (next === undefined) return undefined;
      id = next;
    }
    return undefined;
  }

  masterOf(recordId: string): string | undefined {
    return this.masterHolding(recordId);
  }

  recordsOf(masterId: string): string[] {
    const live = this.resolve(masterId);
    const members = live === undefined ? undefined : this.live(live)?.members;
    return members ? members.slice() : [];
  }

  /** Every former id that resolves to this master, oldest first. */
  aliasesOf(masterId: string): string[] {
    const out: string[] = [];
    const queue = [...(this.aliasChildren.get(masterId) ?? [])];
    while (queue.length > 0) {
      const alias = queue.shift() as string;
      out.push(alias);
      queue.push(...(this.aliasChildren.get(alias) ?? []));
    }
    return out.sort((x, y) => this.bornOf(x) - this.bornOf(y));
  }

  version(masterId: string): number {
    return this.ids.get(masterId)?.version ?? 0;
  }

  /** Live masters in creation order with their records in arrival order. */
  snapshot(): Array<{ masterId: string; version: number; records: string[]; aliases: string[] }> {
    return this.liveIds()
      .sort((x, y) => this.bornOf(x) - this.bornOf(y))
      .map((id) => ({ masterId: id, version: this.version(id), records: this.recordsOf(id), aliases: this.aliasesOf(id) }));
  }

  /** Pairs waiting for a reviewer; a pair whose records have since joined one master is answered. */
  reviewQueue(): ReviewItem[] {
    const open: ReviewItem[] = [];
    for (const [key, item] of this.reviews) {
      if (this.masterHolding(item.recordId) === this.masterHolding(item.otherRecordId)) this.reviews.delete(key);
      else open.push(item);
    }
    return open;
  }

  edgesOf(recordId: string): MatchEdge[] {
    return this.edgesAt(recordId);
  }

  candidateIndexStats(): ReturnType<CandidateIndex['stats']> {
    return this.index.stats();
  }

  // ---------------------------------------------------------------------------------------

  private scoreCandidates(record: MatchRecord, candidates: readonly MatchRecord[]): StoredEdge[] {
    const out: StoredEdge[] = [];
    const cannot = this.cannotLinks.get(record.id);
    const must = this.mustLinks.get(record.id);
    // the most each remaining comparison could add to this record's pairs: what it lacks adds nothing
    const bounds = boundsFor(record, this.plan, this.scratch);
    for (const c of candidates) {
      if (cannot?.has(c.id) || must?.has(c.id)) continue;
      // Most candidates are other people: scoring stops once a pair cannot reach review level.
      const weight = matchWeightFrom(record, c, this.plan, this.reviewFloor, this.scratch, bounds);
      if (weight === Number.NEGATIVE_INFINITY) continue;
      const probability = probabilityFromWeight(weight);
      const decision = decideFromLevels(probability, this.scratch.levels, this.layout, this.options.policy);
      if (decision.outcome === 'new') continue;
      out.push(new StoredEdge(record.id, c.id, decision.outcome, decision.reason, this.model.version, this.edgeWeights, this.edgeWeights.add(weight)));
    }
    this.addMustLinkEdges(record.id, out);
    return out;
  }

  /** Scored edges as recorded, then the must-links, as scoreCandidates would have made them; undefined if one names a record not held. */
  private restoreEdges(recordId: string, recorded: readonly RecordedEdge[]): StoredEdge[] | undefined {
    for (const [other] of recorded) if (!this.present.has(other) || other === recordId) return undefined;
    const out: StoredEdge[] = [];
    for (const [other, kind, reason, weight] of recorded) {
      out.push(new StoredEdge(recordId, other, kind, reason, this.model.version, this.edgeWeights, this.edgeWeights.add(weight)));
    }
    this.addMustLinkEdges(recordId, out);
    return out;
  }

  /** Reviewers' must-links hold whatever the blocking found. */
  private addMustLinkEdges(recordId: string, out: StoredEdge[]): void {
    const must = this.mustLinks.get(recordId);
    for (const other of must ?? []) if (this.present.has(other)) out.push(this.mustLinkEdge(recordId, other));
  }

  private mustLinkEdge(a: string, b: string): StoredEdge {
    return new StoredEdge(a, b, 'must-link', 'review-decision', this.model.version, this.edgeWeights, this.edgeWeights.add(Number.POSITIVE_INFINITY));
  }

  private storeEdge(e: StoredEdge): void {
    this.putEdge(e.a, e.b, e);
    this.putEdge(e.b, e.a, e);
  }

  /** The record's edges, in the order they were stored. */
  private edgesAt(recordId: string): StoredEdge[] {
    const out: StoredEdge[] = [];
    for (let e = this.present.get(recordId)?.edges; e !== undefined; e = nextAt(e, recordId)) out.push(e);
    return out;
  }

  /** Adds the edge to the end of `recordId`'s list, or in the place of an earlier edge to the same other record. */
  private putEdge(recordId: string, other: string, e: StoredEdge): void {
    // both ends of a stored edge are present records (see add, restoreEdges, addMustLink)
    const held = this.present.get(recordId) as PresentRecord;
    let previous: StoredEdge | undefined;
    for (let at = held.edges; at !== undefined; previous = at, at = nextAt(at, recordId)) {
      if (otherEnd(at, recordId) !== other) continue;
      setNextAt(e, recordId, nextAt(at, recordId));
      if (previous) setNextAt(previous, recordId, e);
      else held.edges = e;
      return;
    }
    setNextAt(e, recordId, undefined);
    if (previous) setNextAt(previous, recordId, e);
    else held.edges = e;
  }

  private dropEdge(recordId: string, other: string): void {
    const held = this.present.get(recordId);
    if (!held) return;
    let previous: StoredEdge | undefined;
    for (let at = held.edges; at !== undefined; previous = at, at = nextAt(at, recordId)) {
      if (otherEnd(at, recordId) !== other) continue;
      const next = nextAt(at, recordId);
      if (previous) setNextAt(previous, recordId, next);
      else held.edges = next;
      return;
    }
  }

  /** Best link edge into each master the record may join: must-links first, then weight, then age. */
  private bridgesByMaster(recordId: string, edges: readonly MatchEdge[]): Array<{ masterId: string; edge: MatchEdge }> {
    const best = new Map<string, MatchEdge>();
    const cannot = this.cannotLinks.get(recordId);
    for (const e of edges) {
      if (e.kind === 'review') continue;
      const other = e.a === recordId ? e.b : e.a;
      const masterId = this.masterHolding(other);
      if (masterId === undefined) continue;
      if (cannot && [...cannot].some((x) => this.masterHolding(x) === masterId)) continue;
      const current = best.get(masterId);
      if (!current || this.strongerEdge(e, current)) best.set(masterId, e);
    }
    return [...best]
      .map(([masterId, edge]) => ({ masterId, edge }))
      .sort((x, y) => (this.strongerEdge(x.edge, y.edge) ? -1 : this.strongerEdge(y.edge, x.edge) ? 1 : this.bornOf(x.masterId) - this.bornOf(y.masterId)));
  }

  private strongerEdge(x: MatchEdge, y: MatchEdge): boolean {
    const mx = x.kind === 'must-link' ? 1 : 0;
    const my = y.kind === 'must-link' ? 1 : 0;
    if (mx !== my) return mx > my;
    return x.weight > y.weight;
  }

  private haveSupport(masterId: string, others: readonly string[]): boolean {
    const members = this.live(masterId)?.members ?? [];
    const otherSet = new Set(others);
    for (const r of members) {
      for (const e of this.edgesAt(r)) {
        const m = this.masterHolding(otherEnd(e, r));
        if (m !== undefined && otherSet.has(m)) return true;
      }
    }
    return false;
  }

  private recordsIn(masterIds: readonly string[]): string[] {
    return masterIds.flatMap((id) => this.live(id)?.members ?? []);
  }

  /**
   * Whether two groups of records cannot be one person by a field the model says the data
   * keeps reliably (conflict guard): dates of birth, middle names. One wrong value in a group
   * does not decide: the others may still agree.
   */
  private personalDetailsConflict(left: Iterable<MatchRecord | string>, right: Iterable<string>): boolean {
    if (!this.options.policy.conflictGuard) return false;
    const records = (ids: Iterable<MatchRecord | string>) => [...ids].map((x) => (typeof x === 'string' ? this.index.get(x) : x)).filter((r): r is MatchRecord => r !== undefined);
    const x = records(left);
    const y = records(right);
    if (this.layout.dateOfBirthReliable && valuesConflict(x, y, (r) => r.dateOfBirth?.digits, datesOfBirthDiffer)) return true;
    if (this.layout.middleNameReliable && valuesConflict(x, y, (r) => (r.otherGivenNames.length ? r.otherGivenNames.join(' ') : undefined), middleNamesDiffer)) return true;
    return false;
  }

  private mastersConflict(left: readonly string[], right: readonly string[]): boolean {
    const rightSet = new Set(right);
    for (const id of left) {
      for (const r of this.live(id)?.members ?? []) {
        for (const x of this.cannotLinks.get(r) ?? []) {
          const m = this.masterHolding(x);
          if (m !== undefined && rightSet.has(m)) return true;
        }
      }
    }
    return false;
  }

  private reviewFor(e: MatchEdge, recordId: string, reason: ReviewItem['reason']): ReviewItem {
    const other = e.a === recordId ? e.b : e.a;
    return { recordId, otherRecordId: other, weight: e.weight, probability: e.probability, reason, modelVersion: e.modelVersion };
  }

  private createMaster(records: readonly string[], reuseId?: string): string {
    const id = reuseId ?? this.options.masterId(this.nextMaster++);
    const members = this.byArrival([...records]);
    const known = this.ids.get(id);
    if (known) known.members = members;
    else this.ids.set(id, { born: this.ids.size, version: 0, members });
    for (const r of records) (this.present.get(r) as PresentRecord).master = id;
    this.bump(id);
    return id;
  }

  /** The id's state while it is a live master. */
  private live(id: string): LiveMaster | undefined {
    const state = this.ids.get(id);
    return state?.members ? (state as LiveMaster) : undefined;
  }

  private liveIds(): string[] {
    const out: string[] = [];
    for (const [id, state] of this.ids) if (state.members) out.push(id);
    return out;
  }

  /** Creation order of any id ever made (masters and aliases): the oldest survives a merge. */
  private bornOf(id: string): number {
    return this.ids.get(id)?.born ?? 0;
  }

  /** Arrival order of a present record ("oldest record" means lowest). */
  private arrivalOf(recordId: string): number | undefined {
    return this.present.get(recordId)?.arrival;
  }

  private masterHolding(recordId: string): string | undefined {
    return this.present.get(recordId)?.master;
  }

  private bump(masterId: string): number {
    return ++(this.ids.get(masterId) as MasterState).version;
  }

  /** Only for the record that has just arrived: appending it keeps the members in arrival order. */
  private join(masterId: string, recordId: string): void {
    this.live(masterId)?.members.push(recordId);
    (this.present.get(recordId) as PresentRecord).master = masterId;
    this.bump(masterId);
  }

  private merge(masterIds: readonly string[], reason: MergeReason, matchWeightValue: number | null): Extract<MasterEvent, { type: 'merged' }> {
    const ordered = [...new Set(masterIds)].sort((x, y) => this.bornOf(x) - this.bornOf(y));
    const survivorId = ordered[0];
    const survivor = this.live(survivorId) as LiveMaster;
    for (const id of ordered.slice(1)) {
      const gone = this.live(id) as LiveMaster;
      this.aliasRecords.set(id, gone.members);
      for (const r of gone.members) (this.present.get(r) as PresentRecord).master = survivorId;
      survivor.members = this.byArrival([...survivor.members, ...gone.members]);
      (gone as MasterState).members = null;
      this.aliasOf.set(id, survivorId);
      addTo(this.aliasChildren, survivorId, id);
      this.bump(id);
    }
    return {
      type: 'merged',
      masterId: survivorId,
      version: this.bump(survivorId),
      records: this.recordsOf(survivorId),
      mergedIds: ordered.slice(1),
      reason,
      matchWeight: matchWeightValue,
    };
  }

  private byArrival(records: string[]): string[] {
    return records.sort((x, y) => (this.arrivalOf(x) ?? 0) - (this.arrivalOf(y) ?? 0));
  }

  /**
   * Connected components of a master's records over link and must-link edges, never joining
   * two parts that hold a cannot-link pair. Edges are taken strongest first, so a cannot-link
   * cuts the weakest chain.
   */
  private components(records: readonly string[]): string[][] {
    const members = new Set(records);
    const parent = new Map<string, string>(records.map((r) => [r, r]));
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== root) root = parent.get(root) as string;
      parent.set(x, root);
      return root;
    };
    const partsOf = new Map<string, string[]>(records.map((r) => [r, [r]]));
    const internal: MatchEdge[] = [];
    for (const r of records) {
      for (const e of this.edgesAt(r)) {
        const other = otherEnd(e, r);
        if (e.kind !== 'review' && members.has(other) && r < other) internal.push(e);
      }
    }
    internal.sort((x, y) => (this.strongerEdge(x, y) ? -1 : this.strongerEdge(y, x) ? 1 : pairKey(x.a, x.b) < pairKey(y.a, y.b) ? -1 : 1));
    for (const e of internal) {
      const ra = find(e.a);
      const rb = find(e.b);
      if (ra === rb) continue;
      const pa = partsOf.get(ra) as string[];
      const pb = partsOf.get(rb) as string[];
      const conflict = pa.some((x) => [...(this.cannotLinks.get(x) ?? [])].some((y) => members.has(y) && find(y) === rb));
      if (conflict) continue;
      const [big, small, bigRoot, smallRoot] = pa.length >= pb.length ? [pa, pb, ra, rb] : [pb, pa, rb, ra];
      parent.set(smallRoot, bigRoot);
      big.push(...small);
      partsOf.delete(smallRoot);
    }
    return [...partsOf.values()].map((p) => this.byArrival(p));
  }

  private reassess(masterId: string, removed: readonly string[]): MasterEvent[] {
    const master = this.live(masterId) as LiveMaster;
    const parts = this.components(master.members.slice());
    if (parts.length <= 1) {
      if (removed.length === 0) return [];
      return [{ type: 'updated', masterId, version: this.bump(masterId), records: this.recordsOf(masterId), added: [], removed }];
    }
    const oldest = (part: string[]) => this.arrivalOf(part[0]!) ?? 0;
    parts.sort((x, y) => y.length - x.length || oldest(x) - oldest(y));
    const [kept, ...others] = parts;
    master.members = kept;
    const aliases = this.aliasesOf(masterId);
    const splitParts: SplitPart[] = [];
    for (const part of others) {
      const inPart = new Set(part);
      let revive: string | undefined;
      let bestShare = 0;
      for (const alias of aliases) {
        if (this.live(alias) !== undefined) continue;
        const share = (this.aliasRecords.get(alias) ?? []).filter((r) => inPart.has(r)).length;
        if (share > bestShare) {
          bestShare = share;
          revive = alias;
        }
      }
      if (revive !== undefined) {
        const formerSurvivor = this.aliasOf.get(revive) as string;
        this.aliasOf.delete(revive);
        this.aliasChildren.get(formerSurvivor)?.delete(revive);
      }
      const id = this.createMaster(part, revive);
      splitParts.push({ masterId: id, version: this.version(id), records: this.recordsOf(id), revived: revive !== undefined });
    }
    return [{ type: 'split', masterId, version: this.bump(masterId), records: this.recordsOf(masterId), parts: splitParts }];
  }
}
