import { randomBytes } from 'node:crypto';
import { deterministicEventId, encode, type EnvelopeInput, type PersonDetailsInput, TOPICS } from '@hub/contracts';
import { createKafka, ensureTopics, openDatabase, PlatformTables1764133200000, platformProducerConfig } from '@hub/platform';
import { testKafkaBrokers } from '@hub/testkit';
import { SignJWT } from 'jose';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { PortalTables1764160000000 } from '../src/database/portal-tables.migration';

export const portalSecrets = () => ({ PORTAL_JWT_SECRET: randomBytes(32).toString('hex'), MDM_SERVICE_TOKEN: randomBytes(32).toString('hex') });

/** A bearer token as the identity provider would issue it. */
export function tokenFor(secret: string, subject: string, options: { roles?: string[]; expiresIn?: string | number } = {}): Promise<string> {
  return new SignJWT(options.roles ? { roles: options.roles } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(secret));
}

/** portal-api's own schema, opened beside the running service to look at what it wrote. */
export function openPortalDatabase(url: string): Promise<DataSource> {
  return openDatabase({ url, schema: 'portal_api', migrations: [PlatformTables1764133200000, PortalTables1764160000000], poolSize: 2 });
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const envelope = (masterId: string, type: string, version: number): EnvelopeInput => ({
  eventId: deterministicEventId(['portal-test', masterId, type, String(version)]),
  sourceSystem: 'hub.mdm', sourceRecordId: masterId, sourceVersion: String(version), occurredAt: Date.now(), receivedAt: Date.now(),
  dataSharingAgreement: 'HUB-DERIVED', lawfulBasis: 'UK-GDPR-6(1)(e)+9(2)(g)', sensitivity: 'SPECIAL_CATEGORY',
});

export interface MasterShape {
  id: string;
  version: number;
  person: PersonDetailsInput;
  records: string[];
  aliases?: string[];
}

const golden = (m: MasterShape) => ({ person: m.person, provenance: [{ field: 'name', source: { sourceSystem: 'test-feed', sourceRecordId: m.records[0] ?? 'none' }, rule: 'trust' }] });
const state = (m: MasterShape) => ({
  masterPersonId: m.id, version: m.version, golden: golden(m), sourceRecords: m.records.map((id) => ({ sourceSystem: 'test-feed', sourceRecordId: id })), aliases: m.aliases ?? [], modelVersion: 'test-model',
});

/** Publishes real, encoded master-person events onto the run's topic, keyed by master id as mdm does. */
export class MasterPersonPublisher {
  private constructor(private readonly producer: Producer, private readonly topic: string) {}

  static async connect(prefix: string): Promise<MasterPersonPublisher> {
    const kafka = createKafka({ brokers: testKafkaBrokers(), clientId: 'portal-test-publisher' });
    const admin = kafka.admin();
    await admin.connect();
    const topic = { ...TOPICS.masterPersons, name: `${prefix}${TOPICS.masterPersons.name}` };
    await ensureTopics(admin, [topic]);
    await admin.disconnect();
    const producer = kafka.producer(platformProducerConfig);
    await producer.connect();
    return new MasterPersonPublisher(producer, topic.name);
  }

  private async send(key: string, value: Buffer | null): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value }] });
  }

  created(m: MasterShape) {
    return this.send(m.id, encode('MasterPersonCreated', { envelope: envelope(m.id, 'MasterPersonCreated', m.version), ...state(m) }));
  }

  updated(m: MasterShape) {
    return this.send(m.id, encode('MasterPersonUpdated', { envelope: envelope(m.id, 'MasterPersonUpdated', m.version), ...state(m), changedFields: [] }));
  }

  merged(m: MasterShape, mergedIds: string[]) {
    return this.send(m.id, encode('MasterPersonMerged', { envelope: envelope(m.id, 'MasterPersonMerged', m.version), ...state(m), mergedIds, reason: 'MATCHED', matchWeight: 14.2 }));
  }

  split(id: string, version: number, parts: (MasterShape & { revived: boolean })[]) {
    return this.send(id, encode('MasterPersonSplit', {
      envelope: envelope(id, 'MasterPersonSplit', version), masterPersonId: id, version, reason: 'RECORD_WITHDRAWN', modelVersion: 'test-model',
      parts: parts.map((part) => {
        const { modelVersion: _model, ...partState } = state(part);
        return { ...partState, revived: part.revived };
      }),
    }));
  }

  tombstone(id: string) {
    return this.send(id, null);
  }

  close() {
    return this.producer.disconnect();
  }
}
