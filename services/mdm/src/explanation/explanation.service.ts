import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_DECISION_POLICY, decide, type MatchEdge, score } from '../matching/domain';
import { ResolutionService } from '../resolution/resolution.service';

/** log2 of the odds: the match weight at which a pair reaches a probability. */
const weightOf = (probability: number) => Math.log2(probability / (1 - probability));

@Injectable()
export class ExplanationService {
  constructor(@Inject(ResolutionService) private readonly resolution: ResolutionService) {}

  /** A master as mdm holds it: survivor, records, aliases, golden record with provenance. */
  async master(id: string) {
    await this.resolution.refresh();
    const resolver = this.resolution.projection;
    const survivorId = resolver.resolve(id);
    if (!survivorId) return undefined;
    return {
      masterId: survivorId, requestedId: id, version: resolver.version(survivorId), records: resolver.recordsOf(survivorId),
      aliases: resolver.aliasesOf(survivorId), golden: this.resolution.golden(survivorId), modelVersion: this.resolution.modelVersion,
    };
  }

  /**
   * For each record of a master, the edges that hold it there: their weight against the link
   * threshold and, waterfall-style, what each comparison added under the current model.
   */
  async explainMaster(id: string) {
    await this.resolution.refresh();
    const resolver = this.resolution.projection;
    const survivorId = resolver.resolve(id);
    if (!survivorId) return undefined;
    const records = resolver.recordsOf(survivorId);
    const inMaster = new Set(records);
    return {
      masterId: survivorId,
      survivorId: survivorId === id ? null : survivorId,
      modelVersion: this.resolution.modelVersion,
      threshold: { probability: DEFAULT_DECISION_POLICY.linkProbability, matchWeight: weightOf(DEFAULT_DECISION_POLICY.linkProbability) },
      records: records.map((recordKey) => {
        const source = this.resolution.member(recordKey)?.source;
        return {
          recordKey, sourceSystem: source?.sourceSystem ?? null, sourceRecordId: source?.sourceRecordId ?? null,
          links: resolver.edgesOf(recordKey).filter((edge) => inMaster.has(edge.a === recordKey ? edge.b : edge.a)).map((edge) => this.link(recordKey, edge)),
        };
      }),
    };
  }

  /** Any two held records: their score, its parts and the decision it leads to. */
  async explainPair(a: string, b: string) {
    await this.resolution.refresh();
    const left = this.resolution.matchRecord(a);
    const right = this.resolution.matchRecord(b);
    if (!left || !right) return undefined;
    const scored = score(left, right, this.resolution.currentModel);
    const resolver = this.resolution.projection;
    return {
      a, b, masterOfA: resolver.masterOf(a) ?? null, masterOfB: resolver.masterOf(b) ?? null,
      matchWeight: scored.matchWeight, probability: scored.probability, priorWeight: scored.priorWeight, decision: decide(scored, this.resolution.currentModel, this.resolution.policy.decision),
      modelVersion: scored.modelVersion, comparisons: scored.comparisons.map((c) => ({ comparison: c.comparison, level: c.levelIndex, label: c.level, weight: c.weight, termFrequencyWeight: c.termFrequencyWeight })),
    };
  }

  async matchGraph(minProbability: number) {
    await this.resolution.refresh();
    const resolver = this.resolution.projection;
    const pairs: Array<[string, string, number, string]> = [];
    const masters = resolver.snapshot();
    for (const master of masters) {
      for (const recordKey of master.records) {
        for (const edge of resolver.edgesOf(recordKey)) {
          if (edge.a !== recordKey || edge.probability < minProbability) continue;
          pairs.push([edge.a, edge.b, edge.probability, edge.kind]);
        }
      }
    }
    const review = resolver.reviewQueue();
    const waiting = new Set(review.flatMap((item) => [item.recordId, item.otherRecordId]));
    return {
      modelVersion: this.resolution.modelVersion,
      masters: masters.map((m) => ({ masterId: m.masterId, records: m.records })),
      pairs,
      review: { pairs: review.length, records: [...waiting].filter((key) => resolver.recordsOf(resolver.masterOf(key) ?? '').length <= 1).length },
    };
  }

  private link(recordKey: string, edge: MatchEdge) {
    const otherRecordKey = edge.a === recordKey ? edge.b : edge.a;
    const left = this.resolution.matchRecord(recordKey);
    const right = this.resolution.matchRecord(otherRecordKey);
    const parts = left && right && edge.kind !== 'must-link' ? score(left, right, this.resolution.currentModel).comparisons : [];
    return {
      otherRecordKey, kind: edge.kind, reason: edge.reason,
      matchWeight: Number.isFinite(edge.weight) ? edge.weight : null, probability: edge.probability, modelVersion: edge.modelVersion,
      comparisons: parts.map((c) => ({ comparison: c.comparison, level: c.levelIndex, label: c.level, weight: c.weight })),
    };
  }
}
