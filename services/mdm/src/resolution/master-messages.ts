import { deterministicEventId, encode, type EnvelopeInput, type GoldenRecordInput, TOPICS } from '@hub/contracts';
import type { OutboxMessage } from '@hub/platform';
import type { MasterEvent } from '../matching/domain';

export type SplitReason = 'RECORD_WITHDRAWN' | 'RECORD_CORRECTED' | 'REVIEW_DECISION' | 'MODEL_PROMOTED';

/** What the outbox needs to describe a master: its golden record and its records' refs. */
export interface MasterView {
  golden(masterId: string): GoldenRecordInput;
  sourceRecords(masterId: string): { sourceSystem: string; sourceRecordId: string }[];
  aliases(masterId: string): string[];
}

/** Masters are derived from many partners' data: the strictest governance applies to them. */
function envelope(masterId: string, type: string, version: number, now: number): EnvelopeInput {
  return {
    eventId: deterministicEventId(['mdm', masterId, type, String(version)]),
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
    const base = (type: string) => ({ topic, key: event.masterId, aggregateType: 'master-person', eventType: type, eventId: deterministicEventId(['mdm', event.masterId, type, String(event.version)]) });
    const state = () => ({ masterPersonId: event.masterId, version: event.version, golden: view.golden(event.masterId), sourceRecords: view.sourceRecords(event.masterId), aliases: view.aliases(event.masterId), modelVersion });
    switch (event.type) {
      case 'created':
        return [{ ...base('MasterPersonCreated'), payload: encode('MasterPersonCreated', { envelope: envelope(event.masterId, 'MasterPersonCreated', event.version, now), ...state() }) }];
      case 'updated':
        return [{ ...base('MasterPersonUpdated'), payload: encode('MasterPersonUpdated', { envelope: envelope(event.masterId, 'MasterPersonUpdated', event.version, now), ...state() }) }];
      case 'merged':
        return [{
          ...base('MasterPersonMerged'),
          payload: encode('MasterPersonMerged', {
            envelope: envelope(event.masterId, 'MasterPersonMerged', event.version, now), ...state(),
            mergedIds: [...event.mergedIds], reason: event.reason, matchWeight: event.matchWeight,
          }),
        }];
      case 'split':
        return [{
          ...base('MasterPersonSplit'),
          payload: encode('MasterPersonSplit', {
            envelope: envelope(event.masterId, 'MasterPersonSplit', event.version, now),
            masterPersonId: event.masterId, version: event.version, reason: splitReason, modelVersion,
            // every resulting master, the one that kept the id first
            parts: [{ masterId: event.masterId, version: event.version, revived: false }, ...event.parts].map((part) => ({
              masterPersonId: part.masterId, version: part.version, revived: part.revived,
              golden: view.golden(part.masterId), sourceRecords: view.sourceRecords(part.masterId), aliases: view.aliases(part.masterId),
            })),
          }),
        }];
      case 'retired':
        // a master whose last record was withdrawn: an update with no records, then nothing more
        return [{ ...base('MasterPersonUpdated'), payload: encode('MasterPersonUpdated', { envelope: envelope(event.masterId, 'MasterPersonUpdated', event.version, now), ...state(), sourceRecords: [] }) }];
      default: {
        const unknown: never = event;
        throw new Error(`unknown master event ${(unknown as { type: string }).type}`);
      }
    }
  });
}
