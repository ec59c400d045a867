import { CONTRACT_EXAMPLES, deterministicEventId, encode, type PersonDetailsInput, sourceRecordKey, TOPICS } from '@hub/contracts';
import { createKafka, openDatabase, PlatformTables1764133200000, platformProducerConfig } from '@hub/platform';
import { createTestDatabase, ServiceProcess, testKafkaBrokers, testRedisUrl, testTopicPrefix } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { nhsNumber } from '../../ingest/test/ingest-harness';
import { MdmLogEntries1764160000000 } from '../src/database/mdm-log-entries.migration';
import { MdmTables1764150000000 } from '../src/database/mdm-tables.migration';

// Three mdm processes in one consumer group share the partitions of the observation topic.
// One person is published from six feeds at the same moment (their records land on different
// partitions, so on different processes), a hundred times over. No committed state may ever
// hold two masters of one person.
const PROCESSES = 3;
const PEOPLE = 100;
const FEEDS = ['police', 'school', 'social-care', 'health', 'housing', 'benefits'];

function personOf(i: number): PersonDetailsInput {
  const syllables = ['bra', 'cor', 'dun', 'fel', 'gar', 'hol', 'ket', 'lum', 'mor', 'nev'];
  return {
    name: { givenNames: [`${syllables[i % 10]}${syllables[Math.floor(i / 10)]}a`], familyName: `${syllables[Math.floor(i / 10)]}${syllables[i % 10]}wick`, fullName: null, title: null },
    otherNames: [],
    dateOfBirth: `${1920 + i}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    sex: i % 2 ? 'FEMALE' : 'MALE',
    addresses: [{ lines: [`${i} Test Street`], locality: `${syllables[i % 10]}ton`, postcode: `L${1 + (i % 25)} ${i % 10}QT`, uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null }],
    emails: [],
    phones: [],
    identifiers: [{ scheme: 'NHS', value: nhsNumber(5000 + i * 10), issuer: null }],
  };
}

describe('several mdm processes side by side', () => {
  let processes: ServiceProcess[] = [];
  let db: DataSource;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db?.destroy();
  });

  it(`never makes two masters of one person whose records arrive at once on different partitions (${PROCESSES} processes, ${PEOPLE} people × ${FEEDS.length} feeds)`, async () => {
    const databaseUrl = await createTestDatabase('mdm_concurrency');
    const prefix = `${testTopicPrefix()}mdm-concurrency.`;
    const env = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: prefix, REDIS_URL: testRedisUrl() };
    processes = [await ServiceProcess.start('mdm', env)];
    processes.push(...(await Promise.all(Array.from({ length: PROCESSES - 1 }, () => ServiceProcess.start('mdm', env)))));
    db = await openDatabase({ url: databaseUrl, schema: 'mdm', migrations: [PlatformTables1764133200000, MdmTables1764150000000, MdmLogEntries1764160000000], poolSize: 2 });

    const kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'mdm-concurrency-test' });
    const topic = `${prefix}${TOPICS.personObserved.name}`;
    const admin = kafka.admin();
    await admin.connect();
    expect((await admin.fetchTopicOffsets(topic)).length).toBeGreaterThanOrEqual(6);
    // every process holds partitions before anything is published
    for (let i = 0; i < 300; i++) {
      const [group] = (await admin.describeGroups([`${prefix}mdm`])).groups;
      if (group?.state === 'Stable' && group.members.length === PROCESSES && group.members.every((m) => m.memberAssignment.length > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [group] = (await admin.describeGroups([`${prefix}mdm`])).groups;
    expect(group!.members).toHaveLength(PROCESSES);
    await admin.disconnect();

    const producer = kafka.producer(platformProducerConfig);
    await producer.connect();
    const partitionsOfPerson = new Map<number, Set<number>>();
    const example = CONTRACT_EXAMPLES.PersonObserved;
    for (let i = 0; i < PEOPLE; i++) {
      const messages = FEEDS.map((feed) => {
        const envelope = { ...example.envelope, sourceSystem: feed, sourceRecordId: `R${i}`, sourceVersion: '1', feed, eventId: deterministicEventId(['test', feed, String(i), '1']) };
        return { key: sourceRecordKey(envelope), value: encode('PersonObserved', { ...example, envelope, person: personOf(i), qualityFlags: [] }) };
      });
      const results = await producer.send({ topic, acks: -1, messages });
      partitionsOfPerson.set(i, new Set(results.map((r) => r.partition)));
    }
    await producer.disconnect();

    // while they are resolved, and after: no committed state has two masters of one person
    const personOfRecord = (key: string) => Number(key.split('/R')[1]);
    let worst = 0;
    let logged = 0;
    for (let poll = 0; poll < 1200; poll++) {
      const masters: { records: string[] }[] = await db.query(`SELECT records FROM master WHERE status = 'active'`);
      const mastersPerPerson = new Map<number, number>();
      for (const master of masters) for (const person of new Set(master.records.map(personOfRecord))) mastersPerPerson.set(person, (mastersPerPerson.get(person) ?? 0) + 1);
      worst = Math.max(worst, ...mastersPerPerson.values(), 0);
      logged = (await db.query(`SELECT count(*)::int AS n FROM observation_log WHERE kind = 'observed'`))[0].n;
      if (logged === PEOPLE * FEEDS.length && masters.length === PEOPLE) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(logged).toBe(PEOPLE * FEEDS.length);
    expect(worst).toBe(1);
    const masters: { records: string[] }[] = await db.query(`SELECT records FROM master WHERE status = 'active'`);
    expect(masters).toHaveLength(PEOPLE);
    for (const master of masters) {
      expect(master.records).toHaveLength(FEEDS.length);
      expect(new Set(master.records.map(personOfRecord)).size).toBe(1);
    }
    // the records of most people really were spread over partitions (hence processes)
    expect([...partitionsOfPerson.values()].filter((partitions) => partitions.size > 1).length).toBeGreaterThan(PEOPLE / 2);
    // and each process did a share of the resolving
    for (const p of processes) {
      const metrics = await (await fetch(`${p.url}/metrics`)).text();
      const consumed = metrics.split('\n').filter((line) => line.startsWith('hub_messages_consumed_total') && line.includes('person-observed')).map((line) => Number(line.split(' ').pop()));
      expect(consumed.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    }
  });
});
