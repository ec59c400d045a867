import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_TOPICS, decode } from '@hub/contracts';
import { nhsCheckDigit } from '@hub/synthetic';
import {
  createKafka, createLogger, ensureTopics, openDatabase, OutboxRelay, PlatformTables1764133200000, platformProducerConfig,
} from '@hub/platform';
import { createTestDatabase, KafkaGate, testKafkaBrokers, testTopicPrefix } from '@hub/testkit';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { IngestRecordRevision1764200000000, IngestTables1764140000000 } from '../src/database/ingest-tables.migration';
import { defaultFeedsDir, FeedRegistry } from '../src/feeds/feed-registry';
import { LoadRunner } from '../src/loads/load-runner';
import { RecordStore } from '../src/loads/record-store';
import { KafkaPublisher } from '../src/publishing/kafka-publisher';

export const BENCH_HEADER = 'person_id,forename,surname,dob,sex,nhs_number,address,postcode,uprn';

/** A valid NHS number from the 999 test range for index i. */
export function nhsNumber(i: number): string {
  for (let n = i; ; n++) {
    const body = `999${String(n % 1_000_000).padStart(6, '0')}`;
    const check = nhsCheckDigit(body);
    if (check !== null) return `${body}${check}`;
  }
}

export function personRow(i: number, overrides: Partial<Record<string, string>> = {}): string {
  const row = {
    person_id: `P${i}`, forename: 'Ada', surname: `Testperson${i}`, dob: '02/03/1980', sex: 'F', nhs_number: nhsNumber(i),
    address: `${i} Example Road`, postcode: 'L1 8JQ', uprn: String(100000 + i), ...overrides,
  };
  return BENCH_HEADER.split(',').map((column) => row[column as keyof typeof row]).join(',');
}

/** Feeds only tests use: a snapshot feed, one whose agreement has ended, a strict one. */
export function testFeedsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-test-feeds-'));
  const base = (name: string, extra: string) => `name: ${name}
partner: test-partner
kind: delta
format: csv
columns: [${BENCH_HEADER.split(',').join(', ')}]
keyColumn: person_id
dateFormat: dmy
${extra}
records:
  - type: person
    recordType: person
    fields:
      name.given: forename
      name.family: surname
      dateOfBirth: dob
      sex: sex
      address.line1: address
      address.postcode: postcode
      address.uprn: uprn
      identifiers:
        - { scheme: NHS, column: nhs_number }
`;
  const agreement = (validTo = 'null') => `agreement: { id: DSA-TEST, lawfulBasis: "UK-GDPR-6(1)(e)", sensitivity: PERSONAL, validFrom: "2020-01-01", validTo: ${validTo} }`;
  writeFileSync(join(dir, 'test-people.yaml'), base('test-people', `${agreement()}\nrejectThreshold: 0.5`));
  writeFileSync(join(dir, 'test-snapshot.yaml'), base('test-snapshot', agreement()).replace('kind: delta', 'kind: snapshot'));
  writeFileSync(join(dir, 'test-strict.yaml'), base('test-strict', `${agreement()}\nrejectThreshold: 0.1\nrules: { nhsNumber: { action: reject } }`));
  writeFileSync(join(dir, 'test-expired.yaml'), base('test-expired', agreement('"2021-01-01"')));
  return dir;
}

export interface IngestHarness {
  kafka: Kafka;
  producer: Producer;
  gate: KafkaGate;
  dataSource: DataSource;
  runner: LoadRunner;
  feeds: FeedRegistry;
  prefix: string;
  databaseUrl: string;
  close(): Promise<void>;
  /** Every message on a topic so far, decoded. */
  read(topic: string): Promise<{ key: string; eventId: string; name: string; value: Record<string, unknown> }[]>;
}

export async function ingestHarness(name: string, databaseUrl?: string): Promise<IngestHarness> {
  const prefix = `${testTopicPrefix()}${name}.`;
  const gate = new KafkaGate();
  const kafka = createKafka({ brokers: testKafkaBrokers(), clientId: `ingest-test-${name}`, socketFactory: gate.socketFactory, retries: 2, connectionTimeoutMs: 1000, requestTimeoutMs: 5000 });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, ALL_TOPICS.filter((topic) => topic.name.startsWith('hub.ingest.')).map((topic) => ({ ...topic, name: `${prefix}${topic.name}` })));
  await admin.disconnect();
  const url = databaseUrl ?? (await createTestDatabase(`ingest_${name}`));
  const dataSource = await openDatabase({ url, schema: 'ingest', migrations: [PlatformTables1764133200000, IngestTables1764140000000, IngestRecordRevision1764200000000], poolSize: 4 });
  const producer = kafka.producer({ ...platformProducerConfig, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } });
  await producer.connect();
  const feeds = FeedRegistry.fromDirectories([defaultFeedsDir, testFeedsDir()]);
  const runner = new LoadRunner(feeds, new RecordStore(dataSource, prefix), new KafkaPublisher(producer, prefix), dataSource, createLogger('ingest-test', 'silent'), 50);
  // RecordRejected events leave through the outbox, as in the service
  const relay = new OutboxRelay(dataSource, producer, { logger: createLogger('ingest-test-relay', 'silent'), claimEveryMs: 100, idleMs: 20 });
  relay.start();
  const readerKafka = createKafka({ brokers: testKafkaBrokers(), clientId: `ingest-test-reader-${name}` });
  return {
    kafka, producer, gate, dataSource, runner, feeds, prefix, databaseUrl: url,
    close: async () => {
      await relay.stop();
      await producer.disconnect().catch(() => undefined);
      await dataSource.destroy();
    },
    read: async (topic) => {
      const full = `${prefix}${topic}`;
      const readerAdmin = readerKafka.admin();
      await readerAdmin.connect();
      const offsets = await readerAdmin.fetchTopicOffsets(full);
      await readerAdmin.disconnect();
      const total = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
      if (total === 0) return [];
      const consumer = readerKafka.consumer({ groupId: `${full}.reader.${Date.now()}.${Math.random()}` });
      const found: { key: string; eventId: string; name: string; value: Record<string, unknown> }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [full], fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            const decoded = decode(message.value!);
            const value = decoded.value as unknown as Record<string, unknown>;
            found.push({ key: message.key!.toString(), eventId: String((value.envelope as { eventId: string }).eventId), name: decoded.name, value });
            if (found.length >= total) resolve();
          },
        });
      });
      await consumer.disconnect();
      return found;
    },
  };
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
