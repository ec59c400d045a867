import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@hub/platform';
import { ServiceProcess, testKafkaBrokers, testRedisUrl, testRunId } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { BENCH_HEADER, ingestHarness, type IngestHarness, personRow } from '../../ingest/test/ingest-harness';
import { openPortalDatabase, portalSecrets, tokenFor, waitUntil } from './portal-harness';

// Records go in through ingest, are resolved by the running mdm service, and are read through
// the running portal-api: masters from mdm's events, and explanations, the review queue,
// decisions and reports through mdm's internal API with the shared service token.
describe('portal-api through the pipeline', () => {
  const secrets = portalSecrets();
  let hub: IngestHarness;
  let mdm: ServiceProcess;
  let portal: ServiceProcess;
  let portalDb: DataSource;
  let mdmDb: DataSource;
  let reader: string;
  let reviewer: string;

  const get = async (path: string, token = reader) => {
    const response = await fetch(`${portal.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const post = async (path: string, body: unknown, token = reviewer) => {
    const response = await fetch(`${portal.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  /** mdm's active masters and portal-api's, as `id:recordKey,recordKey`. */
  const mdmMasters = async () => ((await mdmDb.query(`SELECT id, records FROM master WHERE status = 'active'`)) as { id: string; records: string[] }[]).map((m) => `${m.id}:${[...m.records].sort().join(',')}`).sort();
  const portalMasters = async () =>
    ((await portalDb.query(`SELECT id, source_records FROM person WHERE status = 'active'`)) as { id: string; source_records: { sourceSystem: string; sourceRecordId: string }[] }[])
      .map((p) => `${p.id}:${p.source_records.map((r) => `${r.sourceSystem}/${r.sourceRecordId}`).sort().join(',')}`)
      .sort();
  const inStep = async () => {
    const [m, p] = [await mdmMasters(), await portalMasters()];
    return m.length > 0 && JSON.stringify(m) === JSON.stringify(p);
  };
  const portalMasterOf = async (recordKey: string) => (await portalMasters()).find((m) => m.split(':')[1]!.split(',').includes(recordKey))?.split(':')[0];

  beforeAll(async () => {
    hub = await ingestHarness('portal-pipeline');
    const common = { DATABASE_URL: hub.databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: hub.prefix, REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: `${testRunId()}:pipeline:` };
    mdm = await ServiceProcess.start('mdm', { ...common, MDM_SERVICE_TOKEN: secrets.MDM_SERVICE_TOKEN });
    portal = await ServiceProcess.start('portal-api', { ...common, ...secrets, MDM_URL: mdm.url });
    portalDb = await openPortalDatabase(hub.databaseUrl);
    mdmDb = await openDatabase({ url: hub.databaseUrl, schema: 'mdm', migrations: [], poolSize: 2 });
    reader = await tokenFor(secrets.PORTAL_JWT_SECRET, 'case-worker-2');
    reviewer = await tokenFor(secrets.PORTAL_JWT_SECRET, 'reviewer-e2e', { roles: ['reviewer'] });
    const dir = mkdtempSync(join(tmpdir(), 'hub-portal-pipeline-'));
    const rows = [
      personRow(1, { person_id: 'A1', forename: 'Maya', surname: 'Quillfeather', dob: '04/05/1990', postcode: 'L8 1AA' }),
      personRow(1, { person_id: 'A2', forename: 'Maya', surname: 'Quillfeather', dob: '04/05/1990', postcode: 'L8 1AA', nhs_number: '' }),
      personRow(2, { person_id: 'B1', forename: 'Tobias', surname: 'Wrenfield', dob: '11/12/1975', postcode: 'L9 2BB' }),
      personRow(2, { person_id: 'B2', forename: 'Tobias', surname: 'Wrenfield', dob: '11/12/1975', postcode: 'L9 2BB', nhs_number: '' }),
    ];
    writeFileSync(join(dir, 'people.csv'), `${BENCH_HEADER}\n${rows.join('\n')}\n`);
    expect(await hub.runner.loadFile('test-people', join(dir, 'people.csv'))).toMatchObject({ accepted: 4 });
    await waitUntil('mdm\'s masters in portal-api', async () => (await mdmMasters()).length === 2 && (await inStep()), 60_000);
  });

  afterAll(async () => {
    await portal?.stop();
    await mdm?.stop();
    await portalDb?.destroy();
    await mdmDb?.destroy();
    await hub?.close();
  });

  it('reads the masters mdm resolved, found by a misspelt name', async () => {
    const maya = await portalMasterOf('test-people/A1');
    const person = await get(`/v1/persons/${maya}`);
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ id: maya, person: { name: { familyName: 'Quillfeather' }, dateOfBirth: '1990-05-04' } });
    expect(person.body.sourceRecords).toHaveLength(2);
    expect(person.body.provenance.length).toBeGreaterThan(0);
    const found = await get('/v1/persons?name=maya%20quilfeather');
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([maya]);
  });

  it('explains a master and a pair, lists the review queue and the reports, through mdm', async () => {
    const maya = await portalMasterOf('test-people/A1');
    const explained = await get(`/v1/persons/${maya}/explanation`);
    expect(explained.status).toBe(200);
    expect(explained.body.records.map((r: { recordKey: string }) => r.recordKey).sort()).toEqual(['test-people/A1', 'test-people/A2']);
    expect(explained.body.records[0].links[0].comparisons.length).toBeGreaterThan(0);
    const pair = await get(`/v1/pairs/explanation?a=${encodeURIComponent('test-people/A1')}&b=${encodeURIComponent('test-people/A2')}`);
    expect(pair.status).toBe(200);
    expect(pair.body).toMatchObject({ a: 'test-people/A1', b: 'test-people/A2', matchWeight: expect.any(Number) });
    const review = await get('/v1/review?limit=10');
    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({ total: expect.any(Number), items: expect.any(Array) });
    expect((await get('/v1/reports/suspects')).status).toBe(200);
    const rate = await get('/v1/reports/match-rate');
    expect(rate.body.feeds).toEqual([expect.objectContaining({ records: 4 })]);
    // mdm's refusals pass through with mdm's codes
    expect(await get('/v1/persons/m-999999/explanation')).toMatchObject({ status: 404, body: { code: 'MDM.MASTER_NOT_FOUND' } });
    expect(await get(`/v1/pairs/explanation?a=${encodeURIComponent('test-people/A1')}&b=${encodeURIComponent('test-people/ZZ')}`)).toMatchObject({ status: 404, body: { code: 'MDM.RECORD_NOT_FOUND' } });
    // and each of these reads is in the audit log under the caller
    const actions = ((await portalDb.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE actor = 'case-worker-2' GROUP BY action`)) as { action: string; n: number }[]);
    expect(Object.fromEntries(actions.map((a) => [a.action, a.n]))).toMatchObject({ 'explanation.read': 4, 'review.list': 1, 'report.read': 2 });
  });

  it('decides review pairs as the calling reviewer: a must-link merges (the alias then answers with its survivor), a conflicting decision is 409', async () => {
    expect((await post('/v1/review/decisions', { a: 'test-people/A1', b: 'test-people/B1', decision: 'must-link' }, reader)).status).toBe(403);
    const merged = await post('/v1/review/decisions', { a: 'test-people/A1', b: 'test-people/B1', decision: 'must-link', note: 'same person, checked' });
    expect(merged.status).toBe(200);
    expect(merged.body.events).toEqual([expect.objectContaining({ type: 'merged' })]);
    const decided = (await mdmDb.query(`SELECT detail FROM observation_log WHERE kind = 'must-link'`)) as { detail: unknown }[];
    expect(JSON.stringify(decided)).toContain('reviewer-e2e');
    await waitUntil('the merge in portal-api', async () => (await mdmMasters()).length === 1 && (await inStep()), 30_000);
    const survivor = merged.body.events[0].masterId as string;
    const [alias] = ((await portalDb.query(`SELECT id FROM person WHERE status = 'alias'`)) as { id: string }[]).map((r) => r.id);
    expect(await get(`/v1/persons/${alias}`)).toMatchObject({ status: 200, body: { id: survivor, resolvedFrom: alias } });

    const conflicting = await post('/v1/review/decisions', { a: 'test-people/A1', b: 'test-people/B1', decision: 'cannot-link' });
    expect(conflicting).toMatchObject({ status: 409, body: { code: 'MDM.CANNOT_LINK_CONFLICTS_WITH_MUST_LINK' } });
    expect((await portalDb.query(`SELECT actor, outcome FROM audit_log WHERE action = 'review.decide' ORDER BY id`))).toEqual([
      { actor: 'reviewer-e2e', outcome: 'ok' }, { actor: 'reviewer-e2e', outcome: 'MDM.CANNOT_LINK_CONFLICTS_WITH_MUST_LINK' },
    ]);
  });

  it('follows a split made by a cannot-link: portal-api\'s masters equal mdm\'s', async () => {
    const split = await post('/v1/review/decisions', { a: 'test-people/A2', b: 'test-people/B2', decision: 'cannot-link' });
    expect(split.status).toBe(200);
    expect(split.body.events.map((e: { type: string }) => e.type)).toEqual(['split']);
    await waitUntil('the split in portal-api', async () => (await mdmMasters()).length === 2 && (await inStep()), 30_000);
    for (const master of await portalMasters()) expect((await get(`/v1/persons/${master.split(':')[0]}`)).status).toBe(200);
  });

  it('logs no personal data in portal-api', () => {
    for (const value of ['Quillfeather', 'Wrenfield', 'quilfeather', '1990-05-04', 'L8 1AA']) expect({ value, logged: portal.log.includes(value) }).toEqual({ value, logged: false });
  });
});
