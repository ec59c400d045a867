import type { GoldenRecordInput } from '@hub/contracts';
import { Latin1Bytes } from '@hub/platform';
import { goldenRecord, type MemberRecord, type SurvivorshipPolicy } from '../golden-record/domain';
import type { IncrementalResolver, MasterEvent } from '../matching/domain';
import { masterMessages, type MasterView, type SplitReason } from './master-messages';
import { type HeldRecords, heldMember, heldSource } from './projection';

/** One master as the resolver left it when a job was taken: enough for its row and its events. */
export interface MasterSnapshot {
  id: string;
  version: number;
  /** The live master it resolves to (itself when live; undefined when it resolves to none). */
  survivorId: string | undefined;
  /** The records of the master it resolves to, in arrival order. */
  records: string[];
  aliases: string[];
}

/**
 * What a chunk of the resolver's events needs written: the rows of the masters they touch and
 * their master-person events. Plain data (strings, numbers, arrays, a Map), so that it can be
 * built on another thread: the resolver's state is copied into it when it is taken.
 */
export interface MasterWriteJob {
  events: MasterEvent[];
  /** Every master the events name, as it was when the job was taken. */
  masters: MasterSnapshot[];
  /** Each of those masters' records as held (`HeldRecords.text`); a record not held is absent. */
  held: Map<string, string>;
  modelVersion: string;
  topicPrefix: string;
  now: number;
  splitReason: SplitReason;
}

/** A master-person event for the outbox, its payload the Avro bytes as a Latin-1 string. */
export interface WrittenMessage {
  topic: string;
  key: string;
  aggregateType: string;
  eventType: string;
  eventId: string;
  payload: string;
}

export interface MasterWrites {
  /** The rows of the masters the events touch, as the JSON document `saveMasters` binds; null when there are none. */
  rows: string | null;
  messages: WrittenMessage[];
}

/** A master's golden record from its members; with none (every record withdrawn) an empty person, which is not an error. */
export function goldenOf(members: readonly MemberRecord[], survivorship: SurvivorshipPolicy): GoldenRecordInput {
  return members.length ? goldenRecord(members, survivorship) : { person: { name: {} }, provenance: [] };
}

/** The masters `events` name: each event's own, what a merge retired and what a split made. */
function namedMasters(events: readonly MasterEvent[]): string[] {
  const named = new Set<string>();
  for (const event of events) {
    named.add(event.masterId);
    if (event.type === 'merged') event.mergedIds.forEach((id) => named.add(id));
    if (event.type === 'split') event.parts.forEach((part) => named.add(part.masterId));
  }
  return [...named];
}

/**
 * The job for `events`, taken from the resolver and held records as they are now. It copies
 * only ids and held strings (no decoding, no golden record): taking it is cheap, so the thread
 * that resolves can hand the costly part to another thread and go on resolving.
 */
export function takeMasterWriteJob(
  events: MasterEvent[], resolver: IncrementalResolver, members: HeldRecords,
  settings: { modelVersion: string; topicPrefix: string; now: number; splitReason: SplitReason },
): MasterWriteJob {
  const held = new Map<string, string>();
  const masters = namedMasters(events).map((id): MasterSnapshot => {
    const records = resolver.recordsOf(id);
    for (const key of records) {
      const text = members.text(key);
      if (text !== undefined) held.set(key, text);
    }
    return { id, version: resolver.version(id), survivorId: resolver.resolve(id), records, aliases: resolver.aliasesOf(id) };
  });
  return { events, masters, held, ...settings };
}

/**
 * The rows and outbox messages of a job: golden records (decoding the held records of each
 * master once), the row of every master the events name, and the events themselves. A pure
 * function of the job, so it gives the same answer on whichever thread it runs.
 */
export function buildMasterWrites(job: MasterWriteJob, survivorship: SurvivorshipPolicy): MasterWrites {
  const byId = new Map(job.masters.map((master) => [master.id, master]));
  const master = (id: string): MasterSnapshot => {
    const found = byId.get(id);
    if (!found) throw new Error(`master ${id} is not in the write job`);
    return found;
  };
  const goldens = new Map<string, GoldenRecordInput>();
  const golden = (id: string): GoldenRecordInput => {
    let made = goldens.get(id);
    if (!made) {
      const members = master(id).records.flatMap((key): MemberRecord[] => {
        const text = job.held.get(key);
        return text === undefined ? [] : [heldMember(key, text)];
      });
      made = goldenOf(members, survivorship);
      goldens.set(id, made);
    }
    return made;
  };
  const view: MasterView = {
    golden,
    sourceRecords: (id) => master(id).records.flatMap((key) => {
      const text = job.held.get(key);
      return text === undefined ? [] : [heldSource(key, text)];
    }),
    aliases: (id) => master(id).aliases,
  };
  const rows = job.masters.map(({ id, version, survivorId, records, aliases }) => {
    const status = survivorId && survivorId !== id ? 'alias' : survivorId === id && records.length ? 'active' : 'retired';
    return {
      id, version, status, survivor_id: status === 'alias' ? survivorId : null, records: status === 'active' ? records : [],
      aliases: status === 'active' ? aliases : [], golden: status === 'active' ? golden(id) : null,
    };
  });
  const messages = masterMessages(job.events, view, job.modelVersion, job.topicPrefix, job.now, job.splitReason).map((message) => ({
    topic: message.topic, key: message.key, aggregateType: message.aggregateType, eventType: message.eventType, eventId: message.eventId,
    payload: message.payload instanceof Latin1Bytes ? message.payload.text : message.payload.toString('latin1'),
  }));
  return { rows: rows.length ? JSON.stringify(rows) : null, messages };
}
