import { contractRegistry, flatString, type PersonDetails } from '@hub/contracts';
import type { types } from 'avsc';
import type { MemberRecord } from '../golden-record/domain';
import type { MdmPolicy } from '../policy/mdm-policy';
import { DEFAULT_RESOLVER_OPTIONS, IncrementalResolver, type MasterEvent, type MatchEdge, type MatchModel, type MatchRecord, type NameTables, toMatchRecord } from '../matching/domain';
import type { LogEntry } from './resolution.repository';

/** An expected refusal of a request to change the masters, with a stable code. */
export class ResolutionRefused extends Error {
  constructor(readonly code: string, message: string, readonly status: 404 | 409 | 422) {
    super(message);
  }
}

/** PersonDetails as PersonObserved's latest version writes it. */
const personType = (contractRegistry.schema('PersonObserved').type as types.RecordType).field('person').type;

/**
 * Where held details are encoded and decoded, reused: avsc's toBuffer allocates a zeroed
 * buffer per call and a decode needs the string's bytes in one. Buffers live outside V8's heap,
 * and V8 starts a full marking of mdm's large heap for every 64 MiB of them kept past young
 * collections; a buffer per observation held or master touched was not worth that risk.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);

function heldBytes(person: PersonDetails): string {
  for (;;) {
    const end = personType.encode(person, scratch, 0);
    if (end >= 0) return scratch.toString('latin1', 0, end);
    // a negative answer is how many bytes were missing
    scratch = Buffer.allocUnsafe(Math.max(2 * scratch.length, scratch.length - end));
  }
}

function heldPerson(bytes: string): PersonDetails {
  if (bytes.length > scratch.length) scratch = Buffer.allocUnsafe(Math.max(2 * scratch.length, bytes.length));
  scratch.write(bytes, 0, 'latin1');
  // the details hold no bytes fields, so nothing decoded shares the scratch buffer's memory
  const { value, offset } = personType.decode(scratch, 0);
  if (offset !== bytes.length) throw new Error(`held details did not decode (${offset} of ${bytes.length} bytes read)`);
  return value as PersonDetails;
}

/** The source of a key made by `sourceRecordKey`, whose source system holds no '/'. */
function sourceOfKey(key: string): MemberRecord['source'] {
  const slash = key.indexOf('/');
  return { sourceSystem: key.slice(0, slash), sourceRecordId: key.slice(slash + 1) };
}

/** A held record's text (`HeldRecords.text`) decoded: its source, time and details. */
export function heldMember(key: string, text: string): MemberRecord {
  const cut = text.indexOf('\n');
  const details = text.slice(cut + 2);
  const person = (text[cut + 1] === 'A' ? heldPerson(details) : JSON.parse(details)) as PersonDetails;
  if (text[0] !== '[') return { source: sourceOfKey(key), occurredAt: Number(text.slice(0, cut)), person };
  const [sourceSystem, sourceRecordId, occurredAt] = JSON.parse(text.slice(0, cut)) as [string, string, number];
  return { source: { sourceSystem, sourceRecordId }, occurredAt, person };
}

/** A held record's source alone, without decoding its details. */
export function heldSource(key: string, text: string): MemberRecord['source'] {
  if (text[0] !== '[') return sourceOfKey(key);
  const [sourceSystem, sourceRecordId] = JSON.parse(text.slice(0, text.indexOf('\n'))) as [string, string];
  return { sourceSystem, sourceRecordId };
}

/**
 * Each held record's details, for golden records, kept as one flat string and decoded when its
 * master changes. At a city's scale these are millions of records of a few dozen small objects
 * each (names, addresses, lines, identifiers), which the garbage collector would trace on every
 * full collection; it never looks into a string. The details are PersonDetails in Avro's
 * binary form (a third of their JSON), held as a Latin-1 string, one character per byte; JSON
 * only for a value that form cannot hold. Decoding the members of the one master an
 * observation touches costs microseconds.
 */
export class HeldRecords {
  /**
   * A header, a newline (neither header form ever holds one), then 'A' and the Avro bytes or
   * 'J' and JSON. The header is the time alone (digits) when the key is
   * `sourceSystem/sourceRecordId` and the source system holds no '/', as every record from
   * ingest does: the source is then read off the key, with nothing parsed and nothing stored
   * twice. Otherwise it is `[sourceSystem, sourceRecordId, occurredAt]` as JSON.
   */
  private readonly byKey = new Map<string, string>();

  get size(): number {
    return this.byKey.size;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): MemberRecord | undefined {
    const text = this.byKey.get(key);
    return text === undefined ? undefined : heldMember(key, text);
  }

  /** The record's source alone, without decoding its details. */
  source(key: string): MemberRecord['source'] | undefined {
    const text = this.byKey.get(key);
    return text === undefined ? undefined : heldSource(key, text);
  }

  /** The record as held (for `heldMember` on another thread, which decodes it there). */
  text(key: string): string | undefined {
    return this.byKey.get(key);
  }

  set(key: string, member: MemberRecord): void {
    this.setText(key, HeldRecords.textOf(key, member));
  }

  /** Holds a record as `textOf` made it (ahead of time, say). */
  setText(key: string, text: string): void {
    this.byKey.set(key, text);
  }

  /** The text a record is held as: a pure function of its key and details. */
  static textOf(key: string, member: MemberRecord): string {
    const details = personType.isValid(member.person) ? `A${heldBytes(member.person)}` : `J${JSON.stringify(member.person)}`;
    const { sourceSystem, sourceRecordId } = member.source;
    const keyIsSource = !sourceSystem.includes('/') && key === `${sourceSystem}/${sourceRecordId}` && Number.isSafeInteger(member.occurredAt) && member.occurredAt >= 0;
    const header = keyIsSource ? String(member.occurredAt) : JSON.stringify([sourceSystem, sourceRecordId, member.occurredAt]);
    // one flat string, not the three or four parts it is joined from: millions are held
    return flatString(`${header}\n${details}`);
  }

  delete(key: string): boolean {
    return this.byKey.delete(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }
}

/** What `apply` makes of an observed entry before resolving it, made ahead (`ResolverProjection.prepare`). */
export interface PreparedObservation {
  readonly features: MatchRecord;
  /** The text its details are held as (`HeldRecords.textOf`). */
  readonly held: string;
}

type ObservedEntry = Extract<LogEntry, { kind: 'observed' }>;

function memberOf(entry: ObservedEntry): MemberRecord {
  return { source: { sourceSystem: entry.sourceSystem, sourceRecordId: entry.sourceRecordId }, person: entry.person, occurredAt: entry.occurredAt };
}

/**
 * The masters as the log says they are: the resolver fed with every entry in log order, and
 * each held record's details (for golden records). The same entries in the same order always
 * give the same projection, which is why a process can rebuild it, catch it up, or build a
 * scratch copy to see what a model would change.
 */
export class ResolverProjection {
  readonly resolver: IncrementalResolver;
  readonly members = new HeldRecords();
  private currentModel: MatchModel;
  /** Candidates the blocking offered the last observed record (capped by the resolver; 0 when its edges were restored). */
  lastCandidates = 0;
  /** The edges the last observed record was given (the log records them: `recordedEdges`). */
  lastEdges: readonly MatchEdge[] = [];

  constructor(model: MatchModel, private readonly names: NameTables, policy?: MdmPolicy) {
    this.currentModel = model;
    this.resolver = new IncrementalResolver(model, policy ? { ...DEFAULT_RESOLVER_OPTIONS, policy: policy.decision } : DEFAULT_RESOLVER_OPTIONS);
  }

  get model(): MatchModel {
    return this.currentModel;
  }

  /** An observed record's features, as `apply` makes them: a pure function of the entry. */
  featuresOf(entry: ObservedEntry): MatchRecord {
    return toMatchRecord(entry.key, entry.sourceSystem, entry.person, { names: this.names });
  }

  /** What `apply` makes of an observed entry before resolving it: pure, so it can be made ahead. */
  prepare(entry: ObservedEntry): PreparedObservation {
    return { features: this.featuresOf(entry), held: HeldRecords.textOf(entry.key, memberOf(entry)) };
  }

  /**
   * Applies one entry; returns the resolver's master events. `model` is the promoted one's
   * parameters; `prepared` what `prepare` made of an observed entry, if it was made ahead.
   */
  apply(entry: LogEntry, model?: MatchModel, prepared?: PreparedObservation): MasterEvent[] {
    switch (entry.kind) {
      case 'withdrawn':
        if (!this.members.has(entry.key)) return [];
        this.members.delete(entry.key);
        return this.resolver.withdraw(entry.key);
      case 'observed':
      {
        this.members.setText(entry.key, prepared?.held ?? HeldRecords.textOf(entry.key, memberOf(entry)));
        const resolution = this.resolver.add(prepared?.features ?? this.featuresOf(entry), entry.edges);
        this.lastCandidates = resolution.candidates;
        this.lastEdges = resolution.edges;
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
