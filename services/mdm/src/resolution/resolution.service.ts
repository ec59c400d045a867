import { decode, sourceRecordKey, type PersonDetails, type PersonObserved, type PartnerRecordWithdrawn } from '@hub/contracts';
import { appendToOutbox, type ConsumedMessage, keepUnprocessed, type Logger, PermanentError } from '@hub/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { goldenRecord, type MemberRecord } from '../golden-record/domain';
import {
  defaultModel, DEFAULT_RESOLVER_OPTIONS, IncrementalResolver, type MasterEvent, type MatchModel, type NameTables, toMatchRecord,
} from '../matching/domain';
import { masterMessages, type MasterView } from './master-messages';

type Observation =
  | { kind: 'observed'; key: string; eventId: string; sourceSystem: string; sourceRecordId: string; sourceVersion: string; occurredAt: number; person: PersonDetails }
  | { kind: 'withdrawn'; key: string; eventId: string; sourceSystem: string; sourceRecordId: string; sourceVersion: string; occurredAt: number; person: null };

function observationOf(message: ConsumedMessage): Observation {
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

/**
 * Master persons, resolved record by record as observations stream in. The observation log
 * in PostgreSQL is the system of record; the resolver (candidate index, match graph,
 * clusters) is its projection in memory, rebuilt by replaying the log at start and after any
 * failed batch. Each batch's log entries, master rows and master events (through the outbox)
 * commit in one transaction, and the processed event ids with them.
 *
 * One mdm process per database for now: several processes side by side need the candidate
 * index and the clusters in PostgreSQL under locks (issue 5, not built yet).
 */
export class ResolutionService implements MasterView {
  private resolver!: IncrementalResolver;
  private model: MatchModel = defaultModel();
  private readonly members = new Map<string, MemberRecord>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly names: NameTables,
    private readonly topicPrefix: string,
    /** Used until a model is promoted in the database: the shipped one, or the defaults. */
    private readonly fallbackModel: MatchModel = defaultModel(),
  ) {}

  get modelVersion(): string {
    return this.model.version;
  }

  /** Loads the promoted model (or the default one) and replays the log. */
  async start(): Promise<void> {
    const [promoted] = (await this.dataSource.query(`SELECT params FROM match_model WHERE promoted_at IS NOT NULL ORDER BY promoted_at DESC LIMIT 1`)) as { params: MatchModel }[];
    this.model = promoted?.params ?? this.fallbackModel;
    await this.rebuild();
  }

  async rebuild(): Promise<void> {
    const started = Date.now();
    this.resolver = new IncrementalResolver(this.model, DEFAULT_RESOLVER_OPTIONS);
    this.members.clear();
    let after = 0;
    let replayed = 0;
    for (;;) {
      const rows: { seq: string; record_key: string; kind: 'observed' | 'withdrawn'; source_system: string; source_record_id: string; occurred_at: string; person: PersonDetails | null }[] = await this.dataSource.query(
        `SELECT seq, record_key, kind, source_system, source_record_id, occurred_at, person FROM observation_log WHERE seq > $1 ORDER BY seq LIMIT 5000`,
        [after],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        this.apply({ kind: row.kind, key: row.record_key, sourceSystem: row.source_system, sourceRecordId: row.source_record_id, occurredAt: Number(row.occurred_at), person: row.person });
      }
      after = Number(rows[rows.length - 1]!.seq);
      replayed += rows.length;
    }
    this.logger.info({ replayed, masters: this.resolver.snapshot().length, modelVersion: this.model.version, ms: Date.now() - started }, 'resolver rebuilt from the observation log');
  }

  /** Applies one observation to the in-memory projection; returns the resolver's master events. */
  private apply(observation: { kind: 'observed' | 'withdrawn'; key: string; sourceSystem: string; sourceRecordId: string; occurredAt: number; person: PersonDetails | null }): MasterEvent[] {
    if (observation.kind === 'withdrawn') {
      if (!this.members.has(observation.key)) return [];
      this.members.delete(observation.key);
      return this.resolver.withdraw(observation.key);
    }
    const person = observation.person!;
    this.members.set(observation.key, { source: { sourceSystem: observation.sourceSystem, sourceRecordId: observation.sourceRecordId }, person, occurredAt: observation.occurredAt });
    return [...this.resolver.add(toMatchRecord(observation.key, observation.sourceSystem, person, { names: this.names })).events];
  }

  /** The batch handler: log, resolve, record masters, emit their events; all or nothing. */
  async handle(messages: readonly ConsumedMessage[]): Promise<void> {
    const observations = messages.map(observationOf);
    try {
      await this.dataSource.transaction(async (manager) => {
        const fresh = await keepUnprocessed(manager, 'mdm', observations, (o) => o.eventId);
        if (fresh.length === 0) return;
        await this.log(manager, fresh);
        const events: MasterEvent[] = [];
        for (const observation of fresh) events.push(...this.apply(observation));
        if (events.length === 0) return;
        await this.saveMasters(manager, events);
        const hasCorrection = fresh.some((o) => o.kind === 'observed');
        await appendToOutbox(manager, masterMessages(events, this, this.model.version, this.topicPrefix, Date.now(), hasCorrection ? 'RECORD_CORRECTED' : 'RECORD_WITHDRAWN'));
      });
    } catch (error) {
      // the projection may be ahead of what committed: rebuild it from the log before the retry
      await this.rebuild().catch((rebuildError: unknown) => this.logger.error({ error: String(rebuildError) }, 'rebuild failed'));
      throw error;
    }
  }

  private async log(manager: EntityManager, observations: readonly Observation[]): Promise<void> {
    await manager.query(
      `INSERT INTO observation_log (record_key, kind, event_id, source_system, source_record_id, source_version, occurred_at, person)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::jsonb[])`,
      [
        observations.map((o) => o.key), observations.map((o) => o.kind), observations.map((o) => o.eventId), observations.map((o) => o.sourceSystem),
        observations.map((o) => o.sourceRecordId), observations.map((o) => o.sourceVersion), observations.map((o) => o.occurredAt),
        observations.map((o) => (o.person ? JSON.stringify(o.person) : null)),
      ],
    );
  }

  private async saveMasters(manager: EntityManager, events: readonly MasterEvent[]): Promise<void> {
    const touched = new Set<string>();
    for (const event of events) {
      touched.add(event.masterId);
      if (event.type === 'merged') event.mergedIds.forEach((id) => touched.add(id));
      if (event.type === 'split') event.parts.forEach((part) => touched.add(part.masterId));
    }
    for (const id of touched) {
      const survivor = this.resolver.resolve(id);
      const records = survivor === id ? this.resolver.recordsOf(id) : [];
      const status = survivor && survivor !== id ? 'alias' : records.length ? 'active' : 'retired';
      await manager.query(
        `INSERT INTO master (id, version, status, survivor_id, records, aliases, golden, model_version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status, survivor_id = EXCLUDED.survivor_id,
           records = EXCLUDED.records, aliases = EXCLUDED.aliases, golden = EXCLUDED.golden, model_version = EXCLUDED.model_version, updated_at = now()`,
        [
          id, this.resolver.version(id), status, status === 'alias' ? survivor : null, JSON.stringify(records),
          JSON.stringify(status === 'active' ? this.resolver.aliasesOf(id) : []), status === 'active' ? JSON.stringify(this.golden(id)) : null, this.model.version,
        ],
      );
    }
  }

  golden(masterId: string) {
    const members = this.resolver.recordsOf(masterId).map((key) => this.members.get(key)).filter((member): member is MemberRecord => member !== undefined);
    return members.length ? goldenRecord(members) : { person: { name: {} }, provenance: [] };
  }

  sourceRecords(masterId: string) {
    return this.resolver.recordsOf(masterId).map((key) => this.members.get(key)?.source).filter((source): source is MemberRecord['source'] => source !== undefined);
  }

  aliases(masterId: string): string[] {
    return this.resolver.aliasesOf(masterId);
  }

  /** Current clusters, for the pipeline-versus-library comparison and reports. */
  snapshot() {
    return this.resolver.snapshot();
  }
}
