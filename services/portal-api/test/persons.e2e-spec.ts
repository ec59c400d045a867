import type { PersonDetailsInput } from '@hub/contracts';
import { createTestDatabase, freePort, ServiceProcess, testKafkaBrokers, testRedisUrl, testRunId, testTopicPrefix } from '@hub/testkit';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { MasterPersonPublisher, type MasterShape, openPortalDatabase, portalSecrets, tokenFor, waitUntil } from './portal-harness';

// The running portal-api, fed real master-person events on Kafka and driven over HTTP; mdm is
// not running (MDM_URL points at a closed port), so its proxied endpoints must say so.
describe('portal-api, end to end', () => {
  const secrets = portalSecrets();
  const prefix = `${testTopicPrefix()}portal.`;
  const redisPrefix = `${testRunId()}:portal:`;
  let service: ServiceProcess;
  let db: DataSource;
  let publisher: MasterPersonPublisher;
  let redis: Redis;
  let reader: string;
  let reviewer: string;
  let auditor: string;

  // Synthetic people; the values are checked for absence from the service's log at the end.
  const ada: PersonDetailsInput = {
    name: { givenNames: ['Adelina'], familyName: 'Quillfeather' }, dateOfBirth: '1983-07-14',
    addresses: [{ lines: ['1 Example Road'], postcode: 'L1 8JQ' }], identifiers: [{ scheme: 'NHS', value: '9990001234' }],
  };
  const bo: PersonDetailsInput = {
    name: { givenNames: ['Bartholomew'], familyName: 'Vantablack' }, dateOfBirth: '1990-01-30',
    addresses: [{ lines: ['2 Sample Street'], postcode: 'L17 2AB' }], identifiers: [{ scheme: 'NI', value: 'QQ123456C' }],
  };
  const cy: PersonDetailsInput = { name: { givenNames: ['Cyrilla'], familyName: 'Ysolde-Marsh' }, dateOfBirth: '2001-11-02', addresses: [{ postcode: 'L4 0TH' }] };
  const personalValues = ['Adelina', 'Quillfeather', 'Bartholomew', 'Vantablack', 'Cyrilla', 'Ysolde', '1983-07-14', '1990-01-30', 'L1 8JQ', 'L18JQ', '9990001234', 'QQ123456C'];

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const post = (path: string, body: unknown, token: string) =>
    fetch(`${service.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const versionOf = async (id: string): Promise<number | undefined> => (await db.query(`SELECT version FROM person WHERE id = $1`, [id]))[0]?.version;
  const statusOf = async (id: string): Promise<string | undefined> => (await db.query(`SELECT status FROM person WHERE id = $1`, [id]))[0]?.status;
  const auditRows = async (requestId: string) =>
    (await db.query(`SELECT actor, action, resource, subjects, outcome, request_id, at FROM audit_log WHERE request_id = $1`, [requestId])) as { actor: string; action: string; resource: string; subjects: string[]; outcome: string; at: Date }[];
  const ourCacheKeys = async () => (await redis.keys(`${redisPrefix}*`)).sort();

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('portal_e2e');
    const closedPort = await freePort();
    service = await ServiceProcess.start('portal-api', {
      DATABASE_URL: databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: prefix, REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: redisPrefix,
      ...secrets, MDM_URL: `http://127.0.0.1:${closedPort}`, MDM_TIMEOUT_MS: '2000', LOG_LEVEL: 'debug',
    });
    db = await openPortalDatabase(databaseUrl);
    publisher = await MasterPersonPublisher.connect(prefix);
    redis = new Redis(testRedisUrl());
    reader = await tokenFor(secrets.PORTAL_JWT_SECRET, 'case-worker-1');
    reviewer = await tokenFor(secrets.PORTAL_JWT_SECRET, 'reviewer-1', { roles: ['reviewer'] });
    auditor = await tokenFor(secrets.PORTAL_JWT_SECRET, 'ig-officer-1', { roles: ['auditor'] });

    const m1: MasterShape = { id: 'm-1', version: 1, person: ada, records: ['A1'] };
    await publisher.created(m1);
    await publisher.created({ id: 'm-2', version: 1, person: ada, records: ['A2'] });
    await publisher.created({ id: 'm-3', version: 1, person: bo, records: ['B1'] });
    await publisher.created({ id: 'm-4', version: 1, person: cy, records: ['C1'] });
    await waitUntil('the first masters', async () => (await versionOf('m-4')) === 1 && (await versionOf('m-1')) === 1);
  });

  afterAll(async () => {
    await service?.stop();
    await publisher?.close();
    await db?.destroy();
    if (redis) {
      const keys = await redis.keys(`${redisPrefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('answers nothing but health and metrics without a valid bearer token', async () => {
    expect((await get('/health/ready')).status).toBe(200);
    const missing = await get('/v1/persons/m-1');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'AUTH.TOKEN_REQUIRED' });
    const forged = await get('/v1/persons/m-1', await tokenFor('x'.repeat(64), 'case-worker-1'));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    const expired = await get('/v1/persons/m-1', await tokenFor(secrets.PORTAL_JWT_SECRET, 'case-worker-1', { expiresIn: Math.floor(Date.now() / 1000) - 300 }));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 'AUTH.TOKEN_EXPIRED' });
    for (const path of ['/v1/persons?name=adelina', '/v1/review', '/v1/audit', '/v1/openapi.json', '/v1/reports/suspects']) expect((await get(path)).status).toBe(401);
    expect((await get('/v1/persons/m-1', 'not.a.token')).status).toBe(401);
  });

  it('answers a master with golden record, provenance, source records and aliases, and audits the read first', async () => {
    const response = await get('/v1/persons/m-1', reader, { 'x-request-id': 'req-read-m1-0001' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: 'm-1', version: 1, status: 'active', person: { name: { givenNames: ['Adelina'], familyName: 'Quillfeather' }, dateOfBirth: '1983-07-14' },
      provenance: [{ field: 'name', source: { sourceSystem: 'test-feed', sourceRecordId: 'A1' }, rule: 'trust' }],
      sourceRecords: [{ sourceSystem: 'test-feed', sourceRecordId: 'A1' }], aliases: [],
    });
    const [row] = await auditRows('req-read-m1-0001');
    expect(row).toMatchObject({ actor: 'case-worker-1', action: 'person.read', resource: 'm-1', subjects: ['m-1'], outcome: 'ok' });
    expect(Date.now() - row!.at.getTime()).toBeLessThan(60_000);

    const unknown = await get('/v1/persons/m-404', reader, { 'x-request-id': 'req-read-m404-01' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'PORTAL.PERSON_NOT_FOUND' });
    expect(await auditRows('req-read-m404-01')).toMatchObject([{ action: 'person.read', resource: 'm-404', outcome: 'PORTAL.PERSON_NOT_FOUND' }]);
  });

  it('answers an alias with its survivor after a merge, and ignores an older version arriving late', async () => {
    await publisher.merged({ id: 'm-1', version: 2, person: ada, records: ['A1', 'A2'], aliases: ['m-2'] }, ['m-2']);
    await waitUntil('the merge', async () => (await statusOf('m-2')) === 'alias');
    const alias = await get('/v1/persons/m-2', reader, { 'x-request-id': 'req-read-alias-01' });
    expect(alias.status).toBe(200);
    expect(await alias.json()).toMatchObject({ id: 'm-1', version: 2, resolvedFrom: 'm-2', aliases: ['m-2'], sourceRecords: [{ sourceRecordId: 'A1' }, { sourceRecordId: 'A2' }] });
    expect(await auditRows('req-read-alias-01')).toMatchObject([{ resource: 'm-2', subjects: ['m-1'], outcome: 'ok' }]);

    // an Updated of version 1 for m-1 (overtaken), and m-2's own old update, change nothing
    await publisher.updated({ id: 'm-1', version: 1, person: bo, records: ['A1'] });
    await publisher.updated({ id: 'm-2', version: 1, person: bo, records: ['A2'] });
    await publisher.updated({ id: 'm-4', version: 2, person: { ...cy, dateOfBirth: '2001-11-03' }, records: ['C1'] }); // a marker behind them
    await waitUntil('the marker', async () => (await versionOf('m-4')) === 2);
    expect(await (await get('/v1/persons/m-1', reader)).json()).toMatchObject({ version: 2, person: { name: { familyName: 'Quillfeather' } } });
    expect(await statusOf('m-2')).toBe('alias');
  });

  it('revives an alias when a split gives it back its records', async () => {
    await publisher.split('m-1', 3, [
      { id: 'm-1', version: 3, person: ada, records: ['A1'], revived: false },
      { id: 'm-2', version: 3, person: { ...ada, name: { givenNames: ['Adeline'], familyName: 'Quillfeather' } }, records: ['A2'], revived: true },
    ]);
    await waitUntil('the split', async () => (await statusOf('m-2')) === 'active');
    const revived = await get('/v1/persons/m-2', reader);
    expect(revived.status).toBe(200);
    const body = (await revived.json()) as { resolvedFrom?: string };
    expect(body).toMatchObject({ id: 'm-2', version: 3, person: { name: { givenNames: ['Adeline'] } }, sourceRecords: [{ sourceRecordId: 'A2' }] });
    expect(body.resolvedFrom).toBeUndefined();
    expect(await (await get('/v1/persons/m-1', reader)).json()).toMatchObject({ id: 'm-1', version: 3, aliases: [], sourceRecords: [{ sourceRecordId: 'A1' }] });
  });

  it('finds people by fuzzy name (with a typo), date of birth, postcode and identifier, and audits what each search showed', async () => {
    const search = async (query: string, requestId?: string) => {
      const response = await get(`/v1/persons?${query}`, reader, requestId ? { 'x-request-id': requestId } : {});
      expect(response.status).toBe(200);
      return (await response.json()) as { total: number; items: { id: string; score: number }[] };
    };
    const typo = await search('name=Bartholomew%20Vantablak', 'req-search-typo-01');
    expect(typo.items.map((i) => i.id)).toEqual(['m-3']);
    expect(await auditRows('req-search-typo-01')).toMatchObject([{ actor: 'case-worker-1', action: 'person.search', subjects: ['m-3'], outcome: 'ok' }]);
    expect((await search('name=quilfeather')).items.map((i) => i.id).sort()).toEqual(['m-1', 'm-2']);
    expect((await search('dob=1990-01-30')).items.map((i) => i.id)).toEqual(['m-3']);
    expect((await search('postcode=l178%20ab')).items).toEqual([]);
    expect((await search('postcode=l17%202ab')).items.map((i) => i.id)).toEqual(['m-3']);
    expect((await search('identifier=NI:qq%2012%2034%2056%20c')).items.map((i) => i.id)).toEqual(['m-3']);
    expect((await search('identifier=NHS:9990001234&dob=1983-07-14')).items.map((i) => i.id).sort()).toEqual(['m-1', 'm-2']);
    expect((await search('name=Nobody%20Atall')).items).toEqual([]);
    const page = await search('name=quillfeather&limit=1&offset=1');
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.items).toHaveLength(1);
  });

  it('refuses invalid or unknown query parameters with 400 PORTAL.INVALID_QUERY', async () => {
    for (const query of ['', 'name=a', 'dob=1990-02-30', 'dob=30/01/1990', 'identifier=PASSPORT:1', 'name=bo&limit=1000', 'name=bo&offset=-1', 'name=bo&colour=red', 'postcode=%3Bdrop']) {
      const response = await get(`/v1/persons?${query}`, reader);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(await response.json()).toMatchObject({ code: 'PORTAL.INVALID_QUERY' });
    }
    expect((await get('/v1/persons/m-1?x=1', reader)).status).toBe(400);
    expect(await (await get('/v1/persons/bad%20id', reader)).json()).toMatchObject({ code: 'PORTAL.INVALID_PERSON_ID' });
    expect(await (await get('/v1/pairs/explanation?a=nokey&b=test-feed/A1', reader)).json()).toMatchObject({ code: 'PORTAL.INVALID_QUERY' });
  });

  it('gives the same answers from PostgreSQL when the Redis cache is flushed, and overwrites the cache when a master changes', async () => {
    const before = await (await get('/v1/persons/m-3', reader)).json();
    expect(await ourCacheKeys()).toContain(`${redisPrefix}portal-api:person:m-3`);
    const keys = await ourCacheKeys();
    await redis.del(...keys);
    expect(await (await get('/v1/persons/m-3', reader)).json()).toEqual(before);
    await publisher.updated({ id: 'm-3', version: 2, person: { ...bo, name: { givenNames: ['Bartholomew'], familyName: 'Vantablack-Orr' } }, records: ['B1'] });
    await waitUntil('the update', async () => (await versionOf('m-3')) === 2);
    await waitUntil('the cache overwritten', async () => JSON.parse((await redis.get(`${redisPrefix}portal-api:person:m-3`)) ?? '{}').version === 2, 10_000);
    expect(await (await get('/v1/persons/m-3', reader)).json()).toMatchObject({ version: 2, person: { name: { familyName: 'Vantablack-Orr' } } });
  });

  it('erases a master on a tombstone', async () => {
    await publisher.tombstone('m-4');
    await waitUntil('the erasure', async () => (await versionOf('m-4')) === undefined);
    expect((await get('/v1/persons/m-4', reader)).status).toBe(404);
  });

  it('says 503 PORTAL.MDM_UNAVAILABLE when mdm does not answer, audited; decisions need the reviewer role', async () => {
    for (const path of ['/v1/persons/m-1/explanation', '/v1/pairs/explanation?a=test-feed/A1&b=test-feed/A2', '/v1/review', '/v1/reports/suspects', '/v1/reports/match-rate']) {
      const response = await get(path, reader, { 'x-request-id': `req-mdm-${path.length}-down` });
      expect({ path, status: response.status }).toEqual({ path, status: 503 });
      expect(await response.json()).toMatchObject({ code: 'PORTAL.MDM_UNAVAILABLE' });
      expect(await auditRows(`req-mdm-${path.length}-down`)).toMatchObject([{ outcome: 'PORTAL.MDM_UNAVAILABLE' }]);
    }
    const decision = { a: 'test-feed/A1', b: 'test-feed/A2', decision: 'must-link' };
    const forbidden = await post('/v1/review/decisions', decision, reader);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'AUTH.ROLE_REQUIRED' });
    expect((await post('/v1/review/decisions', { ...decision, decision: 'maybe' }, reviewer)).status).toBe(400);
    const down = await post('/v1/review/decisions', decision, reviewer);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'PORTAL.MDM_UNAVAILABLE' });
  });

  it('lists the audit log to auditors only', async () => {
    expect((await get('/v1/audit', reader)).status).toBe(403);
    const response = await get('/v1/audit?actor=case-worker-1&action=person.read&limit=100', auditor);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; items: { actor: string; action: string; at: string; resource: string; requestId: string }[] };
    expect(body.total).toBeGreaterThanOrEqual(5);
    expect(body.items.every((item) => item.actor === 'case-worker-1' && item.action === 'person.read' && !Number.isNaN(Date.parse(item.at)))).toBe(true);
    expect(body.items.map((item) => item.requestId)).toContain('req-read-m1-0001');
    expect((await get('/v1/audit?action=everything', auditor)).status).toBe(400);
    // reading the audit log is itself audited
    const [own] = (await db.query(`SELECT actor FROM audit_log WHERE action = 'audit.read' ORDER BY id DESC LIMIT 1`)) as { actor: string }[];
    expect(own?.actor).toBe('ig-officer-1');
  });

  it('withholds the answer (503) when the read cannot be audited', async () => {
    await db.query(`ALTER TABLE audit_log RENAME TO audit_log_away`);
    try {
      const response = await get('/v1/persons/m-1', reader);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toEqual({ code: 'PORTAL.AUDIT_UNAVAILABLE', message: expect.any(String) });
      expect(JSON.stringify(body)).not.toContain('Quillfeather');
    } finally {
      await db.query(`ALTER TABLE audit_log_away RENAME TO audit_log`);
    }
    expect((await get('/v1/persons/m-1', reader)).status).toBe(200);
  });

  it('serves its OpenAPI document to authenticated callers', async () => {
    const document = (await (await get('/v1/openapi.json', reader)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/persons', '/v1/persons/{id}', '/v1/persons/{id}/explanation', '/v1/pairs/explanation', '/v1/review', '/v1/review/decisions', '/v1/reports/suspects', '/v1/reports/match-rate', '/v1/audit']));
  });

  it('logs no personal data', () => {
    expect(service.log.length).toBeGreaterThan(1000);
    for (const value of personalValues) expect({ value, logged: service.log.includes(value) }).toEqual({ value, logged: false });
  });
});
