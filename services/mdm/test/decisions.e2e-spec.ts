import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, PlatformTables1764133200000 } from '@hub/platform';
import { ServiceProcess, testKafkaBrokers, testRedisUrl } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { BENCH_HEADER, ingestHarness, type IngestHarness, personRow } from '../../ingest/test/ingest-harness';
import { MdmLogEntries1764160000000 } from '../src/database/mdm-log-entries.migration';
import { MdmTables1764150000000 } from '../src/database/mdm-tables.migration';

// Through ingest and the running mdm service: reviewers' decisions merge and split masters and
// survive a restart; explanations give the parts of every link; a trained model is reported
// on before it is promoted, and its promotion goes out as ordinary events; the internal API
// refuses callers without the service token and bad input.
describe('mdm decisions, explanations and models', () => {
  const token = randomBytes(32).toString('hex');
  let hub: IngestHarness;
  let mdm: ServiceProcess;
  let db: DataSource;

  const call = async (method: string, path: string, body?: unknown, auth = `Bearer ${token}`) => {
    const response = await fetch(`${mdm.url}${path}`, {
      method, headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const activeMasters = async (): Promise<{ id: string; records: string[] }[]> => db.query(`SELECT id, records FROM master WHERE status = 'active' ORDER BY id`);
  const masterHolding = async (key: string) => (await activeMasters()).find((m) => m.records.includes(key))?.id;
  async function waitForLogged(count: number): Promise<void> {
    const logged = async () => (await db.query(`SELECT count(*)::int AS n FROM observation_log WHERE kind IN ('observed', 'withdrawn')`))[0].n as number;
    for (let i = 0; i < 600 && (await logged()) < count; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await logged()).toBe(count);
  }

  beforeAll(async () => {
    hub = await ingestHarness('mdm-decisions');
    mdm = await ServiceProcess.start('mdm', { DATABASE_URL: hub.databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: hub.prefix, REDIS_URL: testRedisUrl(), MDM_SERVICE_TOKEN: token });
    db = await openDatabase({ url: hub.databaseUrl, schema: 'mdm', migrations: [PlatformTables1764133200000, MdmTables1764150000000, MdmLogEntries1764160000000], poolSize: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'hub-mdm-decisions-'));
    // two sightings each of three different people, and one person with a placeholder date of birth and no fixed abode
    const rows = [
      personRow(1, { person_id: 'A1', forename: 'Maya', surname: 'Quillfeather', dob: '04/05/1990', postcode: 'L8 1AA' }),
      personRow(1, { person_id: 'A2', forename: 'Maya', surname: 'Quillfeather', dob: '04/05/1990', postcode: 'L8 1AA', nhs_number: '' }),
      personRow(2, { person_id: 'B1', forename: 'Tobias', surname: 'Wrenfield', dob: '11/12/1975', postcode: 'L9 2BB' }),
      personRow(2, { person_id: 'B2', forename: 'Tobias', surname: 'Wrenfield', dob: '11/12/1975', postcode: 'L9 2BB', nhs_number: '' }),
      personRow(3, { person_id: 'C1', forename: 'Ines', surname: 'Marlowby', dob: '01/01/1901', address: 'No Fixed Abode', postcode: '', uprn: '' }),
    ];
    writeFileSync(join(dir, 'people.csv'), `${BENCH_HEADER}\n${rows.join('\n')}\n`);
    expect(await hub.runner.loadFile('test-people', join(dir, 'people.csv'))).toMatchObject({ accepted: 5 });
    await waitForLogged(5);
  });
  afterAll(async () => {
    await mdm?.stop();
    await db?.destroy();
    await hub?.close();
  });

  it('refuses callers without the service token, and bad input, with clear codes', async () => {
    expect((await call('GET', '/internal/v1/review', undefined, '')).body).toMatchObject({ code: 'MDM.UNAUTHENTICATED' });
    expect((await call('GET', '/internal/v1/review', undefined, 'Bearer wrong')).status).toBe(401);
    const bad = await call('POST', '/internal/v1/review/decisions', { a: 'no-slash', b: 'test-people/B1', decision: 'maybe', decidedBy: 'r1' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('MDM.INVALID_REQUEST');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['a', 'decision']);
    expect((await call('POST', '/internal/v1/review/decisions', { a: 'test-people/A1', b: 'test-people/ZZ', decision: 'must-link', decidedBy: 'r1' })).body).toMatchObject({ code: 'MDM.RECORD_NOT_FOUND' });
  });

  it('explains a master: each record\'s links with the weight of every comparison, against the threshold', async () => {
    const id = await masterHolding('test-people/A1');
    expect(id).toBeDefined();
    const { status, body } = await call('GET', `/internal/v1/masters/${id}/explanation`);
    expect(status).toBe(200);
    expect(body.records.map((r: { recordKey: string }) => r.recordKey).sort()).toEqual(['test-people/A1', 'test-people/A2']);
    const link = body.records[0].links[0];
    expect(link.probability).toBeGreaterThanOrEqual(body.threshold.probability);
    const total = link.comparisons.reduce((sum: number, c: { weight: number }) => sum + c.weight, 0);
    const pair = await call('GET', `/internal/v1/pairs/explanation?a=${encodeURIComponent('test-people/A1')}&b=${encodeURIComponent('test-people/A2')}`);
    expect(pair.body.matchWeight).toBeCloseTo(pair.body.priorWeight + total, 6);
    expect(pair.body.comparisons.find((c: { comparison: string }) => c.comparison === 'date of birth')).toMatchObject({ label: expect.stringMatching(/exact/i) });
    expect((await call('GET', '/internal/v1/masters/m-999999/explanation')).body).toMatchObject({ code: 'MDM.MASTER_NOT_FOUND' });
  });

  it('merges on a must-link and splits on a cannot-link; both hold after a SIGKILL and restart', async () => {
    const maya = await masterHolding('test-people/A1');
    const tobias = await masterHolding('test-people/B1');
    expect(maya).not.toBe(tobias);
    const merged = await call('POST', '/internal/v1/review/decisions', { a: 'test-people/A1', b: 'test-people/B1', decision: 'must-link', decidedBy: 'reviewer-1' });
    expect(merged.status).toBe(200);
    expect(merged.body.events).toEqual([expect.objectContaining({ type: 'merged' })]);
    const survivor = merged.body.events[0].masterId as string;
    const alias = survivor === maya ? tobias : maya;
    expect((await call('GET', `/internal/v1/masters/${alias}`)).body).toMatchObject({ masterId: survivor, requestedId: alias });
    expect((await db.query(`SELECT status, survivor_id FROM master WHERE id = $1`, [alias]))[0]).toEqual({ status: 'alias', survivor_id: survivor });

    const conflicting = await call('POST', '/internal/v1/review/decisions', { a: 'test-people/A1', b: 'test-people/B1', decision: 'cannot-link', decidedBy: 'reviewer-2' });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.code).toBe('MDM.CANNOT_LINK_CONFLICTS_WITH_MUST_LINK');

    const split = await call('POST', '/internal/v1/review/decisions', { a: 'test-people/A2', b: 'test-people/B2', decision: 'cannot-link', decidedBy: 'reviewer-2', note: 'different people' });
    expect(split.body.events.map((e: { type: string }) => e.type)).toEqual(['split']);
    // the cut falls on the weakest chain: one of A2 and B2 leaves, the must-link still holds A1 to B1
    expect(await masterHolding('test-people/A1')).toBe(await masterHolding('test-people/B1'));
    expect(await masterHolding('test-people/A2')).not.toBe(await masterHolding('test-people/B2'));
    const held = (await call('GET', `/internal/v1/masters/${survivor}`)).body.records as string[];
    expect(held.length).toBe(3);

    // the events went out: a merge by review decision, then a split by review decision
    let names: string[] = [];
    for (let i = 0; i < 50 && !names.includes('MasterPersonSplit'); i++) {
      names = (await hub.read('hub.mdm.master-persons.v1')).map((e) => e.name);
      if (!names.includes('MasterPersonSplit')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(names).toEqual(expect.arrayContaining(['MasterPersonMerged', 'MasterPersonSplit']));

    // decisions are in the log: a restarted process replays them to the same masters
    mdm.kill();
    await mdm.waitExit();
    mdm.spawn();
    await mdm.waitReady();
    const replayed = await call('GET', `/internal/v1/masters/${survivor}`);
    expect(replayed.body.records).toEqual(held);
    // and a record sent again (a correction) does not undo the cannot-link
    const dir = mkdtempSync(join(tmpdir(), 'hub-mdm-decisions-'));
    writeFileSync(join(dir, 'again.csv'), `${BENCH_HEADER}\n${personRow(2, { person_id: 'B2', forename: 'Tobias', surname: 'Wrenfield', dob: '11/12/1975', postcode: 'L9 2BB', address: '2 Other Road', nhs_number: '' })}\n`);
    expect(await hub.runner.loadFile('test-people', join(dir, 'again.csv'))).toMatchObject({ accepted: 1 });
    await waitForLogged(6);
    const a2 = await masterHolding('test-people/A2');
    expect(a2).not.toBe(await masterHolding('test-people/B2'));
  });

  it('refuses to start with an invalid policy file, naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-mdm-policy-'));
    writeFileSync(join(dir, 'policy.yaml'), 'matching:\n  trustedIdentifierSchemes: [PASSPORT]\n');
    const bad = await ServiceProcess.start('mdm', { DATABASE_URL: hub.databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), TOPIC_PREFIX: `${hub.prefix}bad.`, REDIS_URL: testRedisUrl(), MDM_POLICY_FILE: join(dir, 'policy.yaml') }, { waitReady: false });
    expect(await bad.waitExit()).toBe(78);
    expect(bad.log).toMatch(/policy\.yaml: matching\.trustedIdentifierSchemes\.0/);
  });

  it('lists suspect masters and the match rate per feed', async () => {
    const suspects = await call('GET', '/internal/v1/reports/suspects');
    const ines = await masterHolding('test-people/C1');
    expect(suspects.body.masters).toContainEqual({ masterId: ines, records: 1, reasons: ['PLACEHOLDER_DATE_OF_BIRTH', 'NO_FIXED_ABODE'] });
    const rate = await call('GET', '/internal/v1/reports/match-rate');
    expect(rate.body.feeds).toEqual([expect.objectContaining({ sourceSystem: expect.any(String), records: 5 })]);
  });

  it('trains a model, reports what it would change, and promotes it with ordinary events', async () => {
    const trained = await call('POST', '/internal/v1/models', {});
    expect(trained.status).toBe(201);
    const version = trained.body.version as string;
    const before = (await activeMasters()).map((m) => `${m.id}:${m.records.join(',')}`);
    const report = await call('GET', `/internal/v1/models/${version}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ candidate: version, masters: { before: before.length, after: expect.any(Number) }, events: expect.any(Object) });
    // the report changed nothing
    expect((await activeMasters()).map((m) => `${m.id}:${m.records.join(',')}`)).toEqual(before);
    const promoted = await call('POST', `/internal/v1/models/${version}/promote`, { promotedBy: 'data-lead' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.events).toEqual(report.body.events);
    expect((await call('GET', '/internal/v1/models')).body.inUse).toBe(version);
    expect((await call('POST', `/internal/v1/models/${version}/promote`, { promotedBy: 'data-lead' })).body.code).toBe('MDM.MODEL_ALREADY_PROMOTED');
    // reviewers' decisions still hold under the new model
    expect(await masterHolding('test-people/A1')).toBe(await masterHolding('test-people/B1'));
    expect(await masterHolding('test-people/A2')).not.toBe(await masterHolding('test-people/B2'));
    expect((await db.query(`SELECT DISTINCT model_version FROM master WHERE status = 'active'`)).length).toBeGreaterThan(0);
  });
});
