import { decode, type GoldenRecordInput, sourceRecordKey, type PersonDetails, type PersonObserved, type PartnerRecordWithdrawn } from '@hub/contracts';
import { appendToOutbox, type ConsumedMessage, keepUnprocessed, Latin1Bytes, type Logger, PermanentError } from '@hub/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { MemberRecord } from '../golden-record/domain';
import { type IncrementalResolver, type MasterEvent, type MatchModel, type MatchRecord, type NameTables, recordedEdges } from '../matching/domain';
import { loadMdmPolicy, type MdmPolicy } from '../policy/mdm-policy';
import { type PreparedObservation, ResolutionRefused, ResolverProjection } from './projection';
import type { SplitReason } from './master-messages';
import { inlineMasterWriter, type MasterWriter } from './master-writer';
import { goldenOf, type MasterWrites, takeMasterWriteJob } from './master-writes';
import { appendToLog, hasModelEntry, immediateQueries, lastLogSeq, type LogEntry, lockResolution, markPromoted, type Queryable, readLog, saveMasters, storeModel } from './resolution.repository';

type RecordEntry = Extract<LogEntry, { key: string }>;

export interface ResolutionObserver {
  /** The number of candidates scored for each new observation. */
  candidates?(count: number): void;
  /** A rebuild of the projection from the log (at start, or after a failed transaction): entries replayed, seconds. */
  rebuilt?(entries: number, seconds: number): void;
}

/** Observations resolved in one transaction at most, whatever the partitions bring together. */
const MAX_GROUPED_OBSERVATIONS = 2000;
/** How long features are made ahead at the end of a transaction before checking whether it can commit. */
const PREPARE_SLICE_MS = 2;
/** How long the resolution of a group runs before it lets the event loop read and write. */
const YIELD_EVERY_MS = 10;
/**
 * Log entries, and master events with their master rows, per statement. pg without pipeline
 * mode (mdm's connections have it since: main.ts) ran one statement at a time on a connection
 * and kept the rest, parameters and all, until their turn; a group's
 * rows as one statement kept every golden record and JSON document of up to 2,000 observations
 * waiting that long, and they were promoted to the old generation, whose growth starts major
 * markings of mdm's large heap. In small statements, built late, more of them die young (a
 * third less promoted per observation on the medium city; docs/benchmarks.md, "What mdm kept
 * past young collections").
 */
// 200, not fewer: each statement is a round trip to a PostgreSQL that shares the two cores
const ROWS_PER_STATEMENT = 200;

function* chunksOf<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let from = 0; from < items.length; from += size) yield items.slice(from, from + size);
}

function observationOf(message: ConsumedMessage): RecordEntry {
  if (!message.value) throw new PermanentError('MDM.EMPTY_MESSAGE', 'a message without a value (tombstones are not used on this topic)');
  const decoded = decode(message.value);
  if (decoded.name === 'PersonObserved') {
    const value = decoded.value as PersonObserved;
    const env = value.envelope;
    return { kind: 'observed', key: sourceRecordKey(env), eventId: env.eventId, sourceSystem: env.sourceSystem, sourceRecordId: env.sourceRecordId, sourceVersion: env.sourceVersion, occurredAt: env.occurredAt, person: value.person };
  }
  if (decoded.name === 'PartnerRecordWithdrawn') {
    const env = (decoded.value as PartnerRecordWithdrawn).envelope;
    return { kind: 'withdrawn', key: sourceRecordKey(env), eventId: env.eventId, sourceSystem: env.sourceSystem, sourceRecordId: env.sourceRecordId, sourceVersion: env.sourceVersion, occurredAt: env.occurredAt, person: null };
  }
  throw new PermanentError('MDM.UNEXPECTED_CONTRACT', `mdm does not handle ${decoded.name} on this topic`);
}


export type ReviewDecision = 'must-link' | 'cannot-link';

/** Log entries read at a time when catching up or replaying. */
const LOG_PAGE = 5000;

/**
 * Applies the log's entries after `afterSeq` to `projection`, in order, telling `applied` each
 * entry's sequence number once it is applied and `pageDone` after each page.
 */
async function replayLog(db: Queryable, projection: ResolverProjection, afterSeq: number, applied: (seq: number) => void, pageDone?: () => void): Promise<void> {
  let page = readLog(db, afterSeq, LOG_PAGE);
  for (;;) {
    const entries = await page;
    if (entries.length === 0) return;
    // A full page: the next one is read while this one is applied (PostgreSQL answers on the
    // other core instead of this process waiting for it). A short one: the log ends there.
    page = entries.length === LOG_PAGE ? readLog(db, entries[entries.length - 1]!.seq, LOG_PAGE) : Promise.resolve([]);
    // awaited on the next turn; if applying fails first, its own failure must not go unhandled
    page.catch(() => undefined);
    for (const entry of entries) {
      projection.apply(entry, entry.kind === 'model-promoted' ? entry.model : undefined);
      applied(entry.seq);
    }
    pageDone?.();
  }
}

/** How often a replay of the log at start reports its progress. */
const REPLAY_PROGRESS_EVERY_MS = 10_000;

/**
 * Master persons, resolved record by record as observations stream in.
 *
 * The log in PostgreSQL (observations, withdrawals, reviewers' decisions, model promotions) is
 * the system of record, in one order for the whole installation. The resolver (candidate
 * index, match graph, clusters) is its projection in memory. Every change takes the
 * resolution lock, first applies what other mdm processes logged since (so the projection
 * equals the committed state), then logs and applies its own entries and writes the masters
 * and their events (through the outbox) in the same transaction. Two processes therefore
 * never resolve at the same moment, and a person whose records arrive on two partitions at
 * once cannot become two masters. After any failed transaction the projection is rebuilt from
 * the log, because it may be ahead of what committed.
 */
export class ResolutionService {
  private state!: ResolverProjection;
  private appliedSeq = 0;
  /** Batches waiting for the next transaction, and whether a drain loop is running. */
  private pending: Array<{ observations: RecordEntry[]; resolve: () => void; reject: (error: unknown) => void }> = [];
  private draining = false;
  /**
   * Features and held text of waiting observations, made while a transaction waits for
   * PostgreSQL and the master writer at its end (`prepareWhile`). Weak: an observation the
   * inbox finds already processed is never applied, and what was made for it goes with it.
   */
  private readonly prepared = new WeakMap<RecordEntry, PreparedObservation>();
  /** One change or catch-up at a time within this process (partitions are consumed concurrently). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly names: NameTables,
    private readonly topicPrefix: string,
    /** The model the log starts with when it is new: the shipped one (or a file named in config). */
    private readonly initialModel: MatchModel,
    /** Trusted identifier schemes and survivorship trust (the shipped defaults unless configured). */
    readonly policy: MdmPolicy = loadMdmPolicy(),
    /** What the service's metrics are told. */
    private readonly observer: ResolutionObserver = {},
    /** Builds touched masters' rows and events: on this thread unless given one of its own (main.ts). */
    private readonly writer: MasterWriter = inlineMasterWriter(policy.survivorship),
  ) {}

  get modelVersion(): string {
    return this.state.model.version;
  }

  private get resolver(): IncrementalResolver {
    return this.state.resolver;
  }

  /** Records the initial model in a new log, then replays the log. */
  async start(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await lockResolution(manager);
      if (await hasModelEntry(manager)) return;
      await storeModel(manager, this.initialModel, { origin: 'initial model of this installation' });
      await markPromoted(manager, this.initialModel.version);
      await appendToLog(manager, [{ kind: 'model-promoted', version: this.initialModel.version, promotedBy: 'mdm (first start)', promotedAt: Date.now() }]);
    });
    await this.exclusive(() => this.rebuild());
  }

  /** Runs `work` after every change or catch-up already queued in this process. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async rebuild(): Promise<void> {
    const started = Date.now();
    this.state = new ResolverProjection(this.initialModel, this.names, this.policy);
    this.appliedSeq = 0;
    // A large log takes minutes to replay (docs/benchmarks.md, "Restart"): say how far it has got.
    const lastSeq = await lastLogSeq(this.dataSource);
    let reported = started;
    const replayed = await this.catchUp(this.dataSource, (applied) => {
      if (Date.now() - reported < REPLAY_PROGRESS_EVERY_MS) return;
      reported = Date.now();
      this.logger.info({ replayed: applied, upToSeq: this.appliedSeq, lastSeq, entriesPerSecond: Math.round(applied / ((reported - started) / 1000)) }, 'replaying the log');
    });
    const ms = Date.now() - started;
    this.logger.info({ replayed, masters: this.resolver.snapshot().length, modelVersion: this.modelVersion, ms }, 'resolver rebuilt from the log');
    this.observer.rebuilt?.(replayed, ms / 1000);
  }

  /** Applies what the log holds beyond this projection; returns how many entries. */
  private async catchUp(db: DataSource | EntityManager, onProgress?: (applied: number) => void): Promise<number> {
    let applied = 0;
    await replayLog(db, this.state, this.appliedSeq, (seq) => {
      this.appliedSeq = seq;
      applied++;
    }, () => onProgress?.(applied));
    return applied;
  }

  /** Brings this process's projection up to the committed log (before answering a read). */
  refresh(): Promise<number> {
    return this.exclusive(() => this.catchUp(this.dataSource));
  }

  /**
   * The batch handler. Batches of several partitions that arrive while a transaction is running
   * are resolved together in the next one (group commit): the fixed cost of a transaction (lock,
   * catch-up, inbox, commit) is paid once for all of them, which is what keeps latency low when
   * each partition brings only a few records. If a grouped transaction fails, each batch is
   * tried again on its own, so one partition's bad message can never fail another's batch.
   */
  handle(messages: readonly ConsumedMessage[]): Promise<void> {
    const observations = messages.map(observationOf);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ observations, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      // The consumer hands over the batches of one fetch one partition at a time: let the rest
      // of them join the first transaction rather than wait for a second one.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) {
        // bounded, so that no transaction (and no partition's wait for it) grows without limit
        let size = 0;
        let take = 0;
        while (take < this.pending.length && (take === 0 || size + this.pending[take]!.observations.length <= MAX_GROUPED_OBSERVATIONS)) size += this.pending[take++]!.observations.length;
        const group = this.pending.splice(0, take);
        try {
          await this.resolveObservations(group.flatMap((batch) => batch.observations));
          for (const batch of group) batch.resolve();
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          for (const batch of group) {
            await this.resolveObservations(batch.observations).then(batch.resolve, batch.reject);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Log, resolve, record masters, emit their events; all or nothing. */
  private resolveObservations(observations: readonly RecordEntry[]): Promise<void> {
    return this.change(async (manager, log, write) => {
      const fresh = await keepUnprocessed(manager, 'mdm', observations, (o) => o.eventId);
      if (fresh.length === 0) return [];
      const splitReason: SplitReason = fresh.some((o) => o.kind === 'observed') ? 'RECORD_CORRECTED' : 'RECORD_WITHDRAWN';
      const events: MasterEvent[] = [];
      let ranSince = Date.now();
      for (const chunk of chunksOf(fresh, ROWS_PER_STATEMENT)) {
        // Each entry is logged with the edges it was given, so that a replay restores them
        // rather than scoring again; PostgreSQL inserts a chunk while the next one is resolved.
        // (The entries handed to apply carry no edges of their own: a retried group scores again.)
        const logged: LogEntry[] = [];
        const chunkEvents: MasterEvent[] = [];
        for (const observation of chunk) {
          chunkEvents.push(...this.state.apply(observation, undefined, this.prepared.get(observation)));
          if (observation.kind === 'observed') {
            this.observer.candidates?.(this.state.lastCandidates);
            logged.push({ ...observation, edges: recordedEdges(observation.key, this.state.lastEdges) });
          } else {
            logged.push(observation);
          }
          // Let the event loop run now and then, so that what arrives meanwhile (the next fetch
          // from Kafka, PostgreSQL's answer, the master writer's) is read and handed on while a
          // whole group is resolved, not after it (its own effect was not measured apart;
          // docs/benchmarks.md).
          if (Date.now() - ranSince >= YIELD_EVERY_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            ranSince = Date.now();
          }
        }
        log(logged);
        // the masters this chunk touched, as it left them, are built while the next one is resolved
        write(chunkEvents, splitReason);
        events.push(...chunkEvents);
      }
      return events;
    }).then(() => undefined);
  }

  /** A reviewer's must-link or cannot-link: honoured now and by every later match. */
  decide(a: string, b: string, decision: ReviewDecision, decidedBy: string, note: string | null): Promise<MasterEvent[]> {
    return this.change(async (_manager, log, write) => {
      for (const key of [a, b]) {
        if (!this.state.members.has(key)) throw new ResolutionRefused('MDM.RECORD_NOT_FOUND', `no record ${key} is held`, 404);
      }
      const entry: LogEntry = { kind: decision, a, b, decidedBy, note, decidedAt: Date.now() };
      const events = this.state.apply(entry);
      log([entry]);
      write(events, 'REVIEW_DECISION');
      return events;
    });
  }

  /** Adopts a stored model: the rescoring's merges and splits go out as ordinary events. */
  promote(model: MatchModel, promotedBy: string): Promise<MasterEvent[]> {
    return this.change(async (manager, log, write) => {
      if (model.version === this.modelVersion) throw new ResolutionRefused('MDM.MODEL_ALREADY_PROMOTED', `model ${model.version} is the one in use`, 409);
      await markPromoted(manager, model.version);
      const entry: LogEntry = { kind: 'model-promoted', version: model.version, promotedBy, promotedAt: Date.now() };
      const events = this.state.apply(entry, model);
      log([entry]);
      write(events, 'MODEL_PROMOTED');
      return events;
    });
  }

  /**
   * One change to the masters, under the resolution lock, after catching up with the log:
   * the entries `work` logs, the masters it touches and their events commit together. A change
   * that logs nothing writes nothing.
   *
   * `work` logs entries (`log`) and hands over the events of what it has applied so far
   * (`write`): the masters they name are copied from the resolver at once, and their rows
   * and events are built by the master writer (on its own thread in the service) while `work`
   * goes on. Each statement is sent the moment it is made (a master writer's, the moment its
   * job comes back, jobs in the order they were handed over) and awaited at the end, so that
   * PostgreSQL writes while this process computes. They run one after another on the
   * transaction's connection, in the order they were sent, and it answers in that order, so
   * the first failure is the one reported; outbox rows are therefore written, and published,
   * in the order of the events.
   */
  private change(work: (manager: EntityManager, log: (entries: readonly LogEntry[]) => void, write: (events: MasterEvent[], splitReason: SplitReason) => void) => Promise<MasterEvent[]>): Promise<MasterEvent[]> {
    return this.exclusive(async () => {
      let lastSeq = this.appliedSeq;
      try {
        const events = await this.dataSource.transaction(async (manager) => {
          await lockResolution(manager);
          await this.catchUp(manager);
          const direct = await immediateQueries(manager);
          const written: Promise<unknown>[] = [];
          /** Queues a statement; the promise it returns settles when it has run, and never rejects. */
          const send = (statement: Promise<unknown>): Promise<unknown> => {
            // one that fails while the rest is still being computed is awaited below, not unhandled
            written.push(statement);
            return statement.catch(() => undefined);
          };
          // callers log at most a chunk at a time (resolveObservations) or a single entry
          const log = (entries: readonly LogEntry[]) => send(appendToLog(direct, entries).then((seq) => (lastSeq = Math.max(lastSeq, seq))));
          const now = Date.now();
          const modelVersion = this.modelVersion;
          // each job's statements are sent when it comes back, after those of the jobs before it
          let masters: Promise<void> = Promise.resolve();
          // once `work` has failed the transaction rolls back and its connection goes back to
          // the pool: a job that comes back later must not send anything on it
          let failed = false;
          const write = (events: MasterEvent[], splitReason: SplitReason) => {
            for (const chunk of chunksOf(events, ROWS_PER_STATEMENT)) {
              const job = this.writer.write(takeMasterWriteJob([...chunk], this.resolver, this.state.members, { modelVersion, topicPrefix: this.topicPrefix, now, splitReason }));
              masters = masters.then(() => job).then((writes) => {
                if (!failed) this.sendMasterWrites(direct, writes, modelVersion, send);
              });
              // a failure is awaited below; until then it must not count as unhandled
              masters.catch(() => undefined);
            }
          };
          let events: MasterEvent[];
          try {
            events = await work(manager, log, write);
          } catch (error) {
            failed = true;
            throw error;
          }
          const finished = masters.then(() => Promise.all(written));
          // a failure is awaited just below
          finished.catch(() => undefined);
          await this.prepareWhile(finished);
          await finished;
          return written.length === 0 ? [] : events;
        });
        this.appliedSeq = Math.max(this.appliedSeq, lastSeq);
        return events;
      } catch (error) {
        // a refusal is decided before anything is applied: the projection is still the committed state
        if (error instanceof ResolutionRefused) throw error;
        // the projection may be ahead of what committed: rebuild it from the log before the retry
        await this.rebuild().catch((rebuildError: unknown) => this.logger.error({ error: String(rebuildError) }, 'rebuild failed'));
        throw error;
      }
    });
  }

  /**
   * Makes the features of waiting observations until `finished` settles. The end of a
   * transaction waits for PostgreSQL to run what was sent and for the master writer's last
   * jobs (about a tenth of a drain's time on the medium city); features and the held details'
   * text are pure functions of an observation, about a seventh of the main thread's work, and
   * can be made then.
   */
  private async prepareWhile(finished: Promise<unknown>): Promise<void> {
    let settled = false;
    finished.then(() => (settled = true), () => (settled = true));
    let ranSince = Date.now();
    for (const batch of this.pending) {
      for (const observation of batch.observations) {
        // let PostgreSQL's answers in, and stop as soon as the transaction can commit
        if (Date.now() - ranSince >= PREPARE_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          ranSince = Date.now();
        }
        if (settled) return;
        if (observation.kind === 'observed' && !this.prepared.has(observation)) this.prepared.set(observation, this.state.prepare(observation));
      }
    }
  }

  private sendMasterWrites(direct: Queryable, writes: MasterWrites, modelVersion: string, send: (statement: Promise<unknown>) => unknown): void {
    if (writes.rows !== null) send(saveMasters(direct, writes.rows, modelVersion));
    if (writes.messages.length > 0) send(appendToOutbox(direct, writes.messages.map((message) => ({ ...message, payload: new Latin1Bytes(message.payload) }))));
  }

  golden(masterId: string): GoldenRecordInput {
    const members = this.resolver.recordsOf(masterId).map((key) => this.state.members.get(key)).filter((member): member is MemberRecord => member !== undefined);
    return goldenOf(members, this.policy.survivorship);
  }

  /** Current clusters, for the pipeline-versus-library comparison and reports. */
  snapshot() {
    return this.resolver.snapshot();
  }

  // Read access for explanations, review and reports (call refresh() first).

  get currentModel(): MatchModel {
    return this.state.model;
  }

  get projection(): IncrementalResolver {
    return this.resolver;
  }

  member(recordKey: string): MemberRecord | undefined {
    return this.state.members.get(recordKey);
  }

  matchRecord(recordKey: string): MatchRecord | undefined {
    return this.resolver.record(recordKey);
  }

  /** Every held record's features, for training a model without labels. */
  matchRecords(): MatchRecord[] {
    return [...this.state.members.keys()].map((key) => this.resolver.record(key)).filter((record): record is MatchRecord => record !== undefined);
  }

  /**
   * What promoting `candidate` would change, without changing anything: a scratch projection
   * of the committed log, rescored with it. Costs a replay of the log.
   */
  async preview(candidate: MatchModel): Promise<{ before: ReturnType<IncrementalResolver['snapshot']>; after: ReturnType<IncrementalResolver['snapshot']>; events: MasterEvent[] }> {
    const scratch = new ResolverProjection(this.initialModel, this.names, this.policy);
    await replayLog(this.dataSource, scratch, 0, () => undefined);
    const before = scratch.resolver.snapshot();
    const events = scratch.model.version === candidate.version ? [] : scratch.apply({ kind: 'model-promoted', version: candidate.version, promotedBy: 'preview', promotedAt: Date.now() }, candidate);
    return { before, after: scratch.resolver.snapshot(), events };
  }

  personsOf(masterId: string): PersonDetails[] {
    return this.resolver.recordsOf(masterId).flatMap((key) => {
      const member = this.state.members.get(key);
      return member ? [member.person] : [];
    });
  }
}
