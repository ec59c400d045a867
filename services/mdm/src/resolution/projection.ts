import type { MemberRecord } from '../golden-record/domain';
import type { MdmPolicy } from '../policy/mdm-policy';
import { DEFAULT_RESOLVER_OPTIONS, IncrementalResolver, type MasterEvent, type MatchModel, type NameTables, toMatchRecord } from '../matching/domain';
import type { LogEntry } from './resolution.repository';

/** An expected refusal of a request to change the masters, with a stable code. */
export class ResolutionRefused extends Error {
  constructor(readonly code: string, message: string, readonly status: 404 | 409 | 422) {
    super(message);
  }
}

/**
 * The masters as the log says they are: the resolver fed with every entry in log order, and
 * each held record's details (for golden records). The same entries in the same order always
 * give the same projection, which is why a process can rebuild it, catch it up, or build a
 * scratch copy to see what a model would change.
 */
export class ResolverProjection {
  readonly resolver: IncrementalResolver;
  readonly members = new Map<string, MemberRecord>();
  private currentModel: MatchModel;
  /** Candidates the blocking offered the last observed record (capped by the resolver). */
  lastCandidates = 0;

  constructor(model: MatchModel, private readonly names: NameTables, policy?: MdmPolicy) {
    this.currentModel = model;
    this.resolver = new IncrementalResolver(model, policy ? { ...DEFAULT_RESOLVER_OPTIONS, policy: policy.decision } : DEFAULT_RESOLVER_OPTIONS);
  }

  get model(): MatchModel {
    return this.currentModel;
  }

  /** Applies one entry; returns the resolver's master events. `model` is the promoted one's parameters. */
  apply(entry: LogEntry, model?: MatchModel): MasterEvent[] {
    switch (entry.kind) {
      case 'withdrawn':
        if (!this.members.has(entry.key)) return [];
        this.members.delete(entry.key);
        return this.resolver.withdraw(entry.key);
      case 'observed':
        this.members.set(entry.key, { source: { sourceSystem: entry.sourceSystem, sourceRecordId: entry.sourceRecordId }, person: entry.person, occurredAt: entry.occurredAt });
      {
        const resolution = this.resolver.add(toMatchRecord(entry.key, entry.sourceSystem, entry.person, { names: this.names }));
        this.lastCandidates = resolution.candidates;
        return [...resolution.events];
      }
      case 'must-link':
      case 'cannot-link': {
        const result = entry.kind === 'must-link' ? this.resolver.addMustLink(entry.a, entry.b) : this.resolver.addCannotLink(entry.a, entry.b);
        if (!result.ok) throw new ResolutionRefused(result.error.code, result.error.message, 409);
        return [...result.events];
      }
      case 'model-promoted': {
        if (!model) throw new Error(`model ${entry.version} is not loaded`);
        if (model.version === this.currentModel.version) return [];
        this.currentModel = model;
        return this.resolver.rescore(model);
      }
      default: {
        const unknown: never = entry;
        throw new Error(`unknown log entry ${(unknown as { kind: string }).kind}`);
      }
    }
  }
}
