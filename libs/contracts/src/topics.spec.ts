import { contractRegistry } from './contracts';
import { ALL_TOPICS, RETENTION, TOPICS, deadLetterTopic, sourceRecordKey, topicName } from './topics';

const DAY = 24 * 60 * 60 * 1000;

describe('topic catalogue', () => {
  it('has a topic for every event, and only known contracts on topics', () => {
    const carried = ALL_TOPICS.flatMap((topic) => topic.carries);
    const events = contractRegistry.names().filter((name) => name !== 'DeadLetter');
    expect([...new Set(carried)].sort()).toEqual(events);
    // each event has one home topic; only a withdrawal follows its record onto every topic the record reached
    const repeated = carried.filter((name, index) => carried.indexOf(name) !== index);
    expect([...new Set(repeated)]).toEqual(['PartnerRecordWithdrawn']);
    const withdrawalTopics = ALL_TOPICS.filter((topic) => topic.carries.includes('PartnerRecordWithdrawn')).map((topic) => topic.name).sort();
    expect(withdrawalTopics).toEqual([TOPICS.addressObserved.name, TOPICS.involvementObserved.name, TOPICS.partnerRecords.name, TOPICS.personObserved.name, TOPICS.relationshipObserved.name].sort());
    expect(deadLetterTopic('mdm').carries).toEqual(['DeadLetter']);
  });

  it('gives every topic a unique versioned hub name', () => {
    const names = [...ALL_TOPICS, deadLetterTopic('ingest')].map((topic) => topic.name);
    for (const name of names) expect(name).toMatch(/^hub\.[a-z]+(\.[a-z0-9-]+)+\.v[1-9][0-9]*$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps raw records, rejects and dead letters for a limited time only', () => {
    for (const topic of [TOPICS.partnerRecords, TOPICS.recordRejected, deadLetterTopic('mdm')]) {
      expect(topic.cleanupPolicy).toBe('delete');
      expect(topic.retentionMs).toBeGreaterThan(0);
      expect(topic.retentionMs).toBeLessThanOrEqual(31 * DAY);
    }
  });

  it('limits every delete-policy topic, and erases compacted ones by tombstone on a per-record or per-subject key', () => {
    for (const topic of ALL_TOPICS) {
      if (topic.cleanupPolicy.includes('delete')) expect(topic.retentionMs).toBeGreaterThan(0);
      if (topic.cleanupPolicy === 'compact') {
        expect(topic.retentionMs).toBe(RETENTION.untilErased);
        expect(topic.key).toMatch(/sourceRecordKey|masterPersonId|groupId|subjectId/);
      }
      expect(topic.partitions).toBeGreaterThan(0);
      expect(topic.description.length).toBeGreaterThan(20);
    }
  });

  it('prefixes topic names per test run', () => {
    expect(topicName(TOPICS.alerts)).toBe('hub.alerts.alert-raised.v1');
    expect(topicName(TOPICS.alerts, 'run-7.')).toBe('run-7.hub.alerts.alert-raised.v1');
  });

  it('names dead-letter topics per consumer group and refuses unsafe group names', () => {
    expect(deadLetterTopic('mdm').name).toBe('hub.dlq.mdm.v1');
    expect(() => deadLetterTopic('Bad Group')).toThrow(/consumer group/);
  });

  it('builds source record keys from the envelope', () => {
    expect(sourceRecordKey({ sourceSystem: 'police', sourceRecordId: 'P-1' })).toBe('police/P-1');
  });
});
