// The topic catalogue: every topic the hub uses, with its key, partitions and retention.
// Names carry a version: a change the contracts cannot absorb compatibly (a new key, a new
// partitioning) is a new topic, never an edit of an old one.
//
// Keys: every event about one source record, or one master, family or subject, shares a key,
// so Kafka keeps them in order on one partition, and a tombstone (null value) on that key
// erases the data held under it once the topic compacts. Envelope-derived keys are built
// with the helpers below so that producers and erasure agree byte for byte.
import { flatString } from './strings/flat-string';

export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
  cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  key: string;
  carries: string[];
  description: string;
}

const DAY = 24 * 60 * 60 * 1000;
const SOURCE_RECORD_KEY = 'sourceRecordKey(envelope): "<sourceSystem>/<sourceRecordId>"';

/** Topics that hold raw partner data, rejects or dead letters keep personal data only for a while. */
export const RETENTION = {
  raw: 7 * DAY,
  rejects: 30 * DAY,
  deadLetters: 14 * DAY,
  alerts: 90 * DAY,
  /** Compacted topics keep the latest value per key until a tombstone erases it: no time limit. */
  untilErased: -1,
} as const;

export const TOPICS = {
  partnerRecords: {
    name: 'hub.ingest.partner-records.v1',
    partitions: 12,
    retentionMs: RETENTION.raw,
    cleanupPolicy: 'delete',
    key: SOURCE_RECORD_KEY,
    carries: ['PartnerRecordReceived', 'PartnerRecordWithdrawn'],
    description:
      'Raw partner records as received, and their withdrawals, in order per source record. Raw personal data: kept 7 days, long enough to re-validate a load after a rule fix.',
  },
  personObserved: {
    name: 'hub.ingest.person-observed.v1',
    partitions: 12,
    retentionMs: RETENTION.untilErased,
    cleanupPolicy: 'compact',
    key: SOURCE_RECORD_KEY,
    // A withdrawal follows the record onto every topic it reached, so each consumer hears of it in order.
    carries: ['PersonObserved', 'PartnerRecordWithdrawn'],
    description:
      'Validated persons, the latest per source record (compacted, so mdm can be rebuilt). A withdrawal or erasure is a tombstone on the source record key. Keyed by source record, not person: mdm must resolve one person arriving on many partitions.',
  },
  involvementObserved: {
    name: 'hub.ingest.involvement-observed.v1',
    partitions: 12,
    retentionMs: RETENTION.untilErased,
    cleanupPolicy: 'compact',
    key: SOURCE_RECORD_KEY,
    // A withdrawal follows the record onto every topic it reached, so each consumer hears of it in order.
    carries: ['InvolvementObserved', 'PartnerRecordWithdrawn'],
    description: 'Offences, ASB, attendance, exclusions, benefits, social care, health: the latest per source record; erased by tombstone.',
  },
  relationshipObserved: {
    name: 'hub.ingest.relationship-observed.v1',
    partitions: 6,
    retentionMs: RETENTION.untilErased,
    cleanupPolicy: 'compact',
    key: SOURCE_RECORD_KEY,
    // A withdrawal follows the record onto every topic it reached, so each consumer hears of it in order.
    carries: ['RelationshipObserved', 'PartnerRecordWithdrawn'],
    description: 'Relationships between person records as sources state them; the latest per source record; erased by tombstone.',
  },
  addressObserved: {
    name: 'hub.ingest.address-observed.v1',
    partitions: 6,
    retentionMs: RETENTION.untilErased,
    cleanupPolicy: 'compact',
    key: SOURCE_RECORD_KEY,
    // A withdrawal follows the record onto every topic it reached, so each consumer hears of it in order.
    carries: ['AddressObserved', 'PartnerRecordWithdrawn'],
    description: 'Addresses sources hold; the latest per source record; erased by tombstone.',
  },
  recordRejected: {
    name: 'hub.ingest.record-rejected.v1',
    partitions: 6,
    retentionMs: RETENTION.rejects,
    cleanupPolicy: 'delete',
    key: SOURCE_RECORD_KEY + ' (or "<feed>/<loadId>#<row>" when the record has no usable id)',
    carries: ['RecordRejected'],
    description: 'Rejected records with reasons and original bytes, for the rejects store. Raw personal data: kept 30 days; the store holds them for correction.',
  },
  masterPersons: {
    name: 'hub.mdm.master-persons.v1',
    partitions: 12,
    retentionMs: RETENTION.untilErased,
    cleanupPolicy: 'compact',
    key: 'masterPersonId',
    carries: ['MasterPersonCreated', 'MasterPersonUpdated', 'MasterPersonMerged', 'MasterPersonSplit'],
    description:
      "Master person changes in version order per master. Each carries the master's full state, so the latest per key is the current master; a merged-away or erased master gets a tombstone after its last event.",
  },
  groups: {
    name: 'hub.groups.group-changed.v1',
    partitions: 6,
    retentionMs: RETENTION.untilErased,
    cleanupPolicy: 'compact',
    key: 'groupId',
    carries: ['GroupChanged'],
    description: 'Families, households and associations as they now stand, in version order per group; a dissolved group ends in a tombstone.',
  },
  cohortScores: {
    name: 'hub.cohorts.cohort-score-changed.v1',
    partitions: 6,
    retentionMs: RETENTION.untilErased,
    cleanupPolicy: 'compact',
    key: '"<programmeId>/<subjectKind>/<subjectId>"',
    carries: ['CohortScoreChanged'],
    description: "A subject's latest score per programme, with why; in version order per subject and programme.",
  },
  alerts: {
    name: 'hub.alerts.alert-raised.v1',
    partitions: 6,
    retentionMs: RETENTION.alerts,
    cleanupPolicy: 'delete',
    key: '"<subjectKind>/<subjectId>"',
    carries: ['AlertRaised'],
    description: "Alerts for subscribers, in order per subject. Notifications, not state: kept 90 days.",
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof TOPICS;

/** Every topic of the catalogue, dead-letter topics aside (they are per consumer group). */
export const ALL_TOPICS: readonly TopicSpec[] = Object.values(TOPICS) as TopicSpec[];

/** The topic's name with a per-run prefix (tests), e.g. topicName(TOPICS.alerts, 'run42.'). */
export function topicName(spec: Pick<TopicSpec, 'name'>, prefix = ''): string {
  return `${prefix}${spec.name}`;
}

/**
 * The dead-letter topic of a consumer group: "hub.dlq.<group>.v1". One per group, so that
 * a replay after a fix goes back to the group that failed. Key: the original message's key
 * bytes, unchanged, so a tombstone there erases a person's dead letters too.
 */
export function deadLetterTopic(consumerGroup: string): TopicSpec {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(consumerGroup)) {
    throw new Error(`a consumer group in a topic name must be lower-case letters, digits and dashes: ${JSON.stringify(consumerGroup)}`);
  }
  return {
    name: `hub.dlq.${consumerGroup}.v1`,
    partitions: 3,
    retentionMs: RETENTION.deadLetters,
    cleanupPolicy: 'delete',
    key: 'the original message key, unchanged',
    carries: ['DeadLetter'],
    description: `Messages the ${consumerGroup} group can never process, with the error, where they came from and their original bytes. Personal data: kept 14 days.`,
  };
}

/** The key of everything about one source record (one flat string: services hold millions of them). */
export function sourceRecordKey(envelope: { sourceSystem: string; sourceRecordId: string }): string {
  return flatString(`${envelope.sourceSystem}/${envelope.sourceRecordId}`);
}
