import {
  decode, deterministicEventId, encode, hashDigest, type EnvelopeInput, sourceRecordKey, TOPICS, type WithdrawalReason,
} from '@hub/contracts';
import type { CanonicalRecord, FeedGovernance, RuleFailure } from '../feeds/domain/mapped-row';

/** A message ready for Kafka: topic (logical, without prefix), key, encoded value, headers. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: Buffer;
  eventId: string;
  eventType: string;
}

/** What the hub remembers of a record's observations, so that a withdrawal reaches each topic. */
export interface ObservationRef {
  topic: string;
  sourceRecordId: string;
  recordType: string;
}

export interface RowContext {
  feed: string;
  governance: FeedGovernance;
  loadId: string;
  receivedAt: number;
  contentType: string;
  encoding: string | null;
}

const observationTopic: Record<CanonicalRecord['type'], string> = {
  person: TOPICS.personObserved.name,
  involvement: TOPICS.involvementObserved.name,
  relationship: TOPICS.relationshipObserved.name,
  address: TOPICS.addressObserved.name,
};

/**
 * A record's version: the source's own when it has one, otherwise a hash of its canonical
 * content, so that resending an unchanged record yields the same version, the same event
 * ids, and is recognised as a duplicate.
 */
export function recordVersion(sourceVersion: string | null, records: readonly CanonicalRecord[]): string {
  if (sourceVersion) return sourceVersion;
  return hashDigest('sha256', JSON.stringify(records), 'base64url').slice(0, 22);
}

/**
 * The events of a record's `revision`-th state. The first state keeps the ids the events were
 * built with (feed, record, type, version). Later states also carry the revision: a record that
 * comes back to an earlier state (A, B, then A again; withdrawn, then sent again unchanged)
 * would otherwise reuse ids that consumers have already processed, and they would drop the
 * change. Rare enough (only changes to records already held) that re-encoding costs little.
 */
export function atRevision(messages: readonly OutgoingMessage[], revision: number): OutgoingMessage[] {
  if (revision <= 1) return [...messages];
  return messages.map((message) => {
    const eventId = deterministicEventId([message.eventId, `revision ${revision}`]);
    const decoded = decode(message.value);
    const value = decoded.value as { envelope: EnvelopeInput };
    return { ...message, eventId, value: encode(decoded.name, { ...value, envelope: { ...value.envelope, eventId } } as never) };
  });
}

function envelope(context: RowContext, sourceRecordId: string, recordType: string, version: string, occurredAt: number | null): EnvelopeInput {
  return {
    eventId: deterministicEventId([context.feed, sourceRecordId, recordType, version]),
    sourceSystem: context.feed,
    sourceRecordId,
    sourceVersion: version,
    occurredAt: occurredAt ?? context.receivedAt,
    receivedAt: context.receivedAt,
    dataSharingAgreement: context.governance.dataSharingAgreement,
    lawfulBasis: context.governance.lawfulBasis,
    sensitivity: context.governance.sensitivity,
    feed: context.feed,
  };
}

function message(topic: string, eventType: string, env: EnvelopeInput, value: Buffer): OutgoingMessage {
  return { topic, key: sourceRecordKey(env), value, eventId: env.eventId, eventType };
}

/** The events an accepted row yields: the raw record received, then each observation. */
export function acceptedRowEvents(
  context: RowContext,
  row: { sourceRecordId: string; version: string; occurredAt: number | null; records: readonly CanonicalRecord[]; raw: Buffer; rowNumber: number | null },
): { messages: OutgoingMessage[]; observations: ObservationRef[] } {
  const messages: OutgoingMessage[] = [];
  const observations: ObservationRef[] = [];
  const received = envelope(context, row.sourceRecordId, 'received', row.version, row.occurredAt);
  messages.push(message(TOPICS.partnerRecords.name, 'PartnerRecordReceived', received, encode('PartnerRecordReceived', {
    envelope: received, recordType: 'row', loadId: context.loadId, rowNumber: row.rowNumber, contentType: context.contentType, encoding: context.encoding, raw: row.raw,
  })));
  for (const record of row.records) {
    const topic = observationTopic[record.type];
    const env = envelope(context, record.sourceRecordId, record.recordType, row.version, row.occurredAt);
    observations.push({ topic, sourceRecordId: record.sourceRecordId, recordType: record.recordType });
    messages.push(message(topic, eventTypeOf(record), env, encodeObservation(record, env, context.loadId)));
  }
  return { messages, observations };
}

function eventTypeOf(record: CanonicalRecord): string {
  switch (record.type) {
    case 'person': return 'PersonObserved';
    case 'involvement': return 'InvolvementObserved';
    case 'relationship': return 'RelationshipObserved';
    case 'address': return 'AddressObserved';
    default: {
      const unknown: never = record;
      throw new Error(`unknown record type ${(unknown as { type: string }).type}`);
    }
  }
}

function encodeObservation(record: CanonicalRecord, env: EnvelopeInput, loadId: string): Buffer {
  switch (record.type) {
    case 'person':
      return encode('PersonObserved', { envelope: env, person: record.person, qualityFlags: record.qualityFlags, loadId, dateOfDeath: record.dateOfDeath ?? null });
    case 'involvement': {
      const { type: _type, recordType: _recordType, sourceRecordId: _id, ...rest } = record;
      return encode('InvolvementObserved', { ...rest, envelope: env } as never);
    }
    case 'relationship': {
      const { type: _type, recordType: _recordType, sourceRecordId: _id, qualityFlags: _flags, ...rest } = record;
      return encode('RelationshipObserved', { ...rest, envelope: env } as never);
    }
    case 'address':
      return encode('AddressObserved', {
        envelope: env,
        person: record.personSourceRecordId ? { sourceSystem: env.sourceSystem, sourceRecordId: record.personSourceRecordId } : null,
        address: record.address,
        qualityFlags: record.qualityFlags,
      });
    default: {
      const unknown: never = record;
      throw new Error(`unknown record type ${(unknown as { type: string }).type}`);
    }
  }
}

/** Withdrawal of a record: on the raw topic and on every topic its observations reached. */
export function withdrawalEvents(
  context: RowContext,
  row: { sourceRecordId: string; version: string; observations: readonly ObservationRef[]; reason: WithdrawalReason },
): OutgoingMessage[] {
  const targets: ObservationRef[] = [{ topic: TOPICS.partnerRecords.name, sourceRecordId: row.sourceRecordId, recordType: 'row' }, ...row.observations];
  return targets.map((target) => {
    const env = envelope(context, target.sourceRecordId, `${target.recordType}:withdrawn`, row.version, null);
    return message(target.topic, 'PartnerRecordWithdrawn', env, encode('PartnerRecordWithdrawn', { envelope: env, recordType: target.recordType, loadId: context.loadId, reason: row.reason }));
  });
}

/** The rejection event that accompanies a stored rejected record. */
export function rejectionEvent(
  context: RowContext,
  row: { sourceRecordId: string | null; rowNumber: number | null; reasons: readonly RuleFailure[]; raw: Buffer },
): OutgoingMessage {
  const id = row.sourceRecordId ?? `${context.loadId}#${row.rowNumber ?? 0}`;
  const version = hashDigest('sha256', row.raw, 'base64url').slice(0, 22);
  const env = envelope(context, id, 'rejected', version, null);
  return message(TOPICS.recordRejected.name, 'RecordRejected', env, encode('RecordRejected', {
    envelope: env, recordType: 'row', loadId: context.loadId, rowNumber: row.rowNumber,
    reasons: row.reasons.map((reason) => ({ code: reason.code, field: reason.field, message: reason.message })),
    contentType: context.contentType, encoding: context.encoding, raw: row.raw,
  }));
}
