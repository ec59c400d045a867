import { deterministicEventId, encodeLatin1, type EnvelopeInput, type GoldenRecordInput, TOPICS } from '@hub/contracts';
import { Latin1Bytes, type OutboxMessage } from '@hub/platform';
import type { MasterEvent } from '../matching/domain';

export type SplitReason = 'RECORD_WITHDRAWN' | 'RECORD_CORRECTED' | 'REVIEW_DECISION' | 'MODEL_PROMOTED';

/** What the outbox needs to describe a master: its golden record and its records' refs. */
export interface MasterView {
  golden(masterId: string): GoldenRecordInput;
  sourceRecords(masterId: string): { sourceSystem: string; sourceRecordId: string }[];
  aliases(masterId: string): string[];
}

/** Masters are derived from many partners' data: the strictest governance applies to them. */
function envelope(eventId: string, masterId: string, version: number, now: number): EnvelopeInput {
  return {
    eventId,
    sourceSystem: 'hub.mdm',
    sourceRecordId: masterId,
    sourceVersion: String(version),
    occurredAt: now,
    receivedAt: now,
    dataSharingAgreement: 'HUB-DERIVED',
    lawfulBasis: 'UK-GDPR-6(1)(e)+9(2)(g)',
    sensitivity: 'SPECIAL_CATEGORY',
    feed: null,
  };
}

/** Turns the resolver's events into master-person events for the outbox, keyed by master id. */
export function masterMessages(events: readonly MasterEvent[], view: MasterView, modelVersion: string, topicPrefix: string, now: number, splitReason: SplitReason = 'RECORD_WITHDRAWN'): OutboxMessage[] {
  const topic = `${topicPrefix}${TOPICS.masterPersons.name}`;
  return events.flatMap((event): OutboxMessage[] => {
    // One id per event, in its envelope and on the outbox row alike. Encoded as a string, not
    // a Buffer: a transaction's events are all built before the outbox statement is sent, and
    // a Buffer per event lived long enough to start full markings of mdm's large heap (a pool
    // slab kept per few events; docs/benchmarks.md).
    const message = (type: string, payload: (env: EnvelopeInput) => string): OutboxMessage => {
      const eventId = deterministicEventId(['mdm', event.masterId, type, String(event.version)]);
      return { topic, key: event.masterId, aggregateType: 'master-person', eventType: type, eventId, payload: new Latin1Bytes(payload(envelope(eventId, event.masterId, event.version, now))) };
    };
    const state = () => ({ masterPersonId: event.masterId, version: event.version, golden: view.golden(event.masterId), sourceRecords: view.sourceRecords(event.masterId), aliases: view.aliases(event.masterId), modelVersion });
    switch (event.type) {
      case 'created':
        return [message('MasterPersonCreated', (env) => encodeLatin1('MasterPersonCreated', { envelope: env, ...state() }))];
      case 'updated':
        return [message('MasterPersonUpdated', (env) => encodeLatin1('MasterPersonUpdated', { envelope: env, ...state() }))];
      case 'merged':
        return [message('MasterPersonMerged', (env) => encodeLatin1('MasterPersonMerged', {
          envelope: env, ...state(), mergedIds: [...event.mergedIds], reason: event.reason, matchWeight: event.matchWeight,
        }))];
      case 'split':
        return [message('MasterPersonSplit', (env) => encodeLatin1('MasterPersonSplit', {
          envelope: env, masterPersonId: event.masterId, version: event.version, reason: splitReason, modelVersion,
          // every resulting master, the one that kept the id first
          parts: [{ masterId: event.masterId, version: event.version, revived: false }, ...event.parts].map((part) => ({
            masterPersonId: part.masterId, version: part.version, revived: part.revived,
            golden: view.golden(part.masterId), sourceRecords: view.sourceRecords(part.masterId), aliases: view.aliases(part.masterId),
          })),
        }))];
      case 'retired':
        // a master whose last record was withdrawn: an update with no records, then nothing more
        return [message('MasterPersonUpdated', (env) => encodeLatin1('MasterPersonUpdated', { envelope: env, ...state(), sourceRecords: [] }))];
      default: {
        const unknown: never = event;
        throw new Error(`unknown master event ${(unknown as { type: string }).type}`);
      }
    }
  });
}
