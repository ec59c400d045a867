import { randomBytes } from 'node:crypto';
import { CONTRACT_EXAMPLES, deadLetterTopic, deterministicEventId, encode, type PersonDetailsInput, sourceRecordKey, TOPICS } from '@hub/contracts';
import { createKafka, openDatabase, PlatformTables1764133200000, platformProducerConfig } from '@hub/platform';
import { createTestDatabase, ServiceProcess, testKafkaBrokers, testRedisUrl, testTopicPrefix } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { MdmLogEntries1764160000000 } from '../src/database/mdm-log-entries.migration';
import { MdmTables1764150000000 } from '../src/database/mdm-tables.migration';
import { DEFAULT_BLOCKING, DEFAULT_RESOLVER_OPTIONS } from '../src/matching/domain';

// A producer that skips ingest's validation sends absurd people straight onto mdm's topic:
// 300-character names, emoji, a birth in 1066, and 150 records sharing every blocking key.
// mdm resolves them all without failing, never scores more candidates than its cap, and
// stops using a block that has grown past its size limit. A message that is not an event at
// all goes to the dead-letter topic without failing its neighbours.
describe('mdm with absurd input', () => {
  let mdm: ServiceProcess;
  let db: DataSource;
  afterAll(async () => {
    await mdm?.stop();
    await db?.destroy();
  });

  it('caps the candidates per observation and the block sizes, and resolves every record', async () => {
    const token = randomBytes(32).toString('hex');
    const databaseUrl = await createTestDatabase('mdm_absurd');
    const prefix = `${testTopicPrefix()}mdm-absurd.`;
    mdm = await ServiceProcess.start('mdm', { DATABASE_URL: databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: prefix, REDIS_URL: testRedisUrl(), MDM_SERVICE_TOKEN: token });
    db = await openDatabase({ url: databaseUrl, schema: 'mdm', migrations: [PlatformTables1764133200000, MdmTables1764150000000, MdmLogEntries1764160000000], poolSize: 2 });

    const absurd = (i: number): PersonDetailsInput => ({
      name: { givenNames: [`${'😀'.repeat(150)}${i % 3}`], familyName: 'Q'.repeat(300), fullName: 'X'.repeat(3000), title: null },
      otherNames: [],
      dateOfBirth: '1066-10-14',
      sex: null,
      addresses: [{ lines: ['🏠'.repeat(500)], locality: 'Hastings', postcode: 'TN34 1AA', uprn: null, countryCode: null, usage: null, validFrom: null, validTo: null }],
      emails: ['same@example.invalid'],
      phones: ['0'.repeat(300)],
      identifiers: [{ scheme: 'OTHER', value: '9'.repeat(1000), issuer: null }],
    });
    const records = 150;
    const kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'mdm-absurd-test' });
    const producer = kafka.producer(platformProducerConfig);
    await producer.connect();
    const example = CONTRACT_EXAMPLES.PersonObserved;
    await producer.send({
      topic: `${prefix}${TOPICS.personObserved.name}`,
      acks: -1,
      messages: Array.from({ length: records }, (_, i) => {
        const envelope = { ...example.envelope, sourceSystem: 'rogue', sourceRecordId: `A${i}`, sourceVersion: '1', eventId: deterministicEventId(['absurd', String(i)]) };
        return { key: sourceRecordKey(envelope), value: encode('PersonObserved', { ...example, envelope, person: absurd(i), qualityFlags: [] }) };
      }),
    });
    // and a message that is not a hub event at all, among them: dead-lettered, the others unharmed
    await producer.send({ topic: `${prefix}${TOPICS.personObserved.name}`, acks: -1, messages: [{ key: 'rogue/garbage', value: Buffer.from('not an avro event') }] });
    await producer.disconnect();

    const logged = async () => (await db.query(`SELECT count(*)::int AS n FROM observation_log WHERE kind = 'observed'`))[0].n as number;
    for (let i = 0; i < 600 && (await logged()) < records; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await logged()).toBe(records);
    expect((await db.query(`SELECT jsonb_array_length(records) AS n FROM master WHERE status = 'active'`)).reduce((sum: number, row: { n: number }) => sum + row.n, 0)).toBe(records);

    // every observation scored at most maxCandidates candidates (the histogram's buckets say so)
    const metrics = await (await fetch(`${mdm.url}/metrics`)).text();
    const bucket = (le: string) => Number(new RegExp(`^mdm_candidates_per_observation_bucket\\{le="${le.replace('+', '\\+')}"[^}]*\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    expect(DEFAULT_RESOLVER_OPTIONS.maxCandidates).toBe(50);
    expect(bucket('+Inf')).toBe(records);
    expect(bucket('50')).toBe(records);
    expect(bucket('20')).toBeLessThan(records); // the cap was reached, so it is the cap that held
    // the blocks these records share grew past the limit and are no longer used
    const blocking = (await (await fetch(`${mdm.url}/internal/v1/reports/blocking`, { headers: { authorization: `Bearer ${token}` } })).json()) as { oversizedBlocks: number };
    expect(DEFAULT_BLOCKING.maxBlockSize).toBeLessThan(records);
    expect(blocking.oversizedBlocks).toBeGreaterThan(0);
    // the garbage went to mdm's dead-letter topic with its original bytes
    const admin = kafka.admin();
    await admin.connect();
    let deadLettered = 0;
    for (let i = 0; i < 100 && deadLettered === 0; i++) {
      deadLettered = (await admin.fetchTopicOffsets(`${prefix}${deadLetterTopic('mdm').name}`)).reduce((sum, p) => sum + Number(p.high), 0);
      if (!deadLettered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.disconnect();
    expect(deadLettered).toBe(1);
    // and the service is still well
    expect((await fetch(`${mdm.url}/health/ready`)).status).toBe(200);
  });
});
