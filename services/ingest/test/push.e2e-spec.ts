import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, PlatformTables1764133200000 } from '@hub/platform';
import { createTestDatabase, ServiceProcess, testKafkaBrokers, testRedisUrl, testRunId, testTopicPrefix } from '@hub/testkit';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { IngestRecordRevision1764200000000, IngestTables1764140000000 } from '../src/database/ingest-tables.migration';
import { defaultFeedsDir } from '../src/feeds/feed-registry';
import { ApiKeys } from '../src/partners/api-keys';
import { BENCH_HEADER, nhsNumber, personRow, testFeedsDir } from './ingest-harness';

// The running ingest service, driven from outside over HTTP and its drop folder.
describe('ingest service, end to end', () => {
  const secret = randomBytes(32).toString('hex');
  const jwtSecret = randomBytes(32).toString('hex');
  const dropDir = mkdtempSync(join(tmpdir(), 'hub-drop-'));
  const knownNames = ['Quillon', 'Vantablack', 'Ysolde'];
  let service: ServiceProcess;
  let dataSource: DataSource;
  let keys: ApiKeys;
  let key: string;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const record = (i: number, overrides: Record<string, string> = {}) =>
    Object.fromEntries(BENCH_HEADER.split(',').map((column, index) => [column, personRow(i, overrides).split(',')[index]]));

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('ingest_e2e');
    service = await ServiceProcess.start('ingest', {
      DATABASE_URL: databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: `${testTopicPrefix()}push.`,
      REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: `${testRunId()}:`,
      INGEST_API_KEY_SECRET: secret, INGEST_JWT_SECRET: jwtSecret, INGEST_FEEDS_DIR: `${defaultFeedsDir}:${testFeedsDir()}`,
      INGEST_MAX_BODY_BYTES: '20000', INGEST_RATE_LIMIT_PER_MINUTE: '40', INGEST_DROP_DIR: dropDir, INGEST_DROP_POLL_MS: '200', LOG_LEVEL: 'debug',
    });
    dataSource = await openDatabase({ url: databaseUrl, schema: 'ingest', migrations: [PlatformTables1764133200000, IngestTables1764140000000, IngestRecordRevision1764200000000], poolSize: 2 });
    keys = new ApiKeys(dataSource, secret);
    key = (await keys.issue('test-partner')).key;
  });

  afterAll(async () => {
    await service?.stop();
    await dataSource?.destroy();
  });

  it('refuses missing or wrong credentials, and another partner\'s feed', async () => {
    expect((await post('/v1/feeds/test-people/records', { records: [record(1)] }, { 'idempotency-key': 'a' })).status).toBe(401);
    const wrong = await post('/v1/feeds/test-people/records', { records: [record(1)] }, { 'idempotency-key': 'a', 'x-api-key': `hubk_${'x'.repeat(43)}` });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
    const other = await post('/v1/feeds/bench-people/records', { records: [record(1)] }, { 'idempotency-key': 'a', 'x-api-key': key });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'AUTH.FORBIDDEN_FEED' });
  });

  it('answers a batch with a receipt and per-record outcomes; the same key gives the same receipt', async () => {
    const body = { records: [record(1, { forename: knownNames[0]! }), record(2, { nhs_number: '9990000001', surname: knownNames[1]! }), { not: 'mapped' }] };
    const response = await post('/v1/feeds/test-people/records', body, { 'idempotency-key': 'batch-1', 'x-api-key': key });
    expect(response.status).toBe(200);
    const receipt = (await response.json()) as { outcomes: { outcome: string }[] };
    expect(receipt).toMatchObject({ feed: 'test-people', accepted: 2, rejected: 1 });
    expect(receipt.outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['accepted', 'accepted', 'rejected']);
    const again = await post('/v1/feeds/test-people/records', body, { 'idempotency-key': 'batch-1', 'x-api-key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(receipt);
    const reused = await post('/v1/feeds/test-people/records', { records: [record(3)] }, { 'idempotency-key': 'batch-1', 'x-api-key': key });
    expect(reused.status).toBe(422);
    const missingKey = await post('/v1/feeds/test-people/records', body, { 'x-api-key': key });
    expect(missingKey.status).toBe(400);
  });

  it('withdraws a record on DELETE', async () => {
    const response = await fetch(`${service.url}/v1/feeds/test-people/records/P1`, { method: 'DELETE', headers: { 'x-api-key': key, 'idempotency-key': 'delete-1' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ withdrawn: 1 });
  });

  it('says 413 to an oversized request', async () => {
    const records = Array.from({ length: 200 }, (_, i) => record(100 + i));
    const response = await post('/v1/feeds/test-people/records', { records }, { 'idempotency-key': 'big', 'x-api-key': key });
    expect(response.status).toBe(413);
  });

  it('publishes each feed\'s JSON Schema, the OpenAPI document, quality and rejects to its partner', async () => {
    const schema = await (await fetch(`${service.url}/v1/feeds/test-people/schema`, { headers: { 'x-api-key': key } })).json();
    expect(schema).toMatchObject({ type: 'object' });
    const openapi = (await (await fetch(`${service.url}/v1/openapi.json`, { headers: { 'x-api-key': key } })).json()) as { openapi: string; paths: object };
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toContain('/v1/feeds/{feed}/records');
    expect((await fetch(`${service.url}/v1/openapi.json`)).status).toBe(401);
    const rejects = (await (await fetch(`${service.url}/v1/feeds/test-people/rejects`, { headers: { 'x-api-key': key } })).json()) as unknown[];
    expect(rejects.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(rejects)).not.toContain('mapped');
    const quality = await (await fetch(`${service.url}/v1/feeds/test-people/quality`, { headers: { 'x-api-key': key } })).json();
    expect(quality).toMatchObject({ feed: 'test-people' });
  });

  it('accepts a bearer token, and rotated keys overlap until the old ones expire', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('test-partner').setIssuer('hub').setAudience('hub-ingest').setExpirationTime('5m').sign(new TextEncoder().encode(jwtSecret));
    expect((await post('/v1/feeds/test-people/records', { records: [record(4)] }, { 'idempotency-key': 'jwt-1', authorization: `Bearer ${token}` })).status).toBe(200);
    const rotated = await keys.rotate('test-partner', 1);
    expect((await post('/v1/feeds/test-people/records', { records: [record(5)] }, { 'idempotency-key': 'old-key', 'x-api-key': key })).status).toBe(200);
    expect((await post('/v1/feeds/test-people/records', { records: [record(6)] }, { 'idempotency-key': 'new-key', 'x-api-key': rotated.key })).status).toBe(200);
    await keys.revoke(rotated.id);
    expect((await post('/v1/feeds/test-people/records', { records: [record(7)] }, { 'idempotency-key': 'revoked', 'x-api-key': rotated.key })).status).toBe(401);
  });

  it('loads a file dropped in the watched folder', async () => {
    writeFileSync(join(dropDir, 'test-people', 'drop-1.csv'), `${BENCH_HEADER}\n${personRow(900, { surname: knownNames[2]! })}\n${personRow(901)}\n`);
    const report = join(dropDir, 'test-people', '.done', 'drop-1.csv.report.json');
    for (let i = 0; i < 100 && !existsSync(report); i++) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ status: 'completed', accepted: 2 });
  });

  it('says 429 with Retry-After to a partner over its rate', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const response = await fetch(`${service.url}/v1/feeds`, { headers: { 'x-api-key': key } });
      if (response.status === 429) limited = response;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('logs no personal data, even at debug level', () => {
    const log = service.log;
    expect(log.length).toBeGreaterThan(1000);
    for (const value of [...knownNames, nhsNumber(1), '02/03/1980', '1980-03-02', 'Example Road']) expect(log).not.toContain(value);
  });
});
