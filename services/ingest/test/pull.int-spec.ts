import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { testRunId } from '@hub/testkit';
import { runPull } from '../src/pull/pull-scheduler';
import { pullConfigSchema } from '../src/pull/pull-config';
import { ingestHarness, type IngestHarness, nhsNumber } from './ingest-harness';

// A partner database the council may query: MariaDB (on this machine at 127.0.0.1:3306) and
// PostgreSQL, each with a table the pull reads incrementally by its updated_at column.
const columns = 'person_id, forename, surname, dob, sex, nhs_number, address, postcode, uprn, updated_at';

function values(i: number, updatedAt: string, surname = `Pullperson${i}`) {
  return [`Q${i}`, 'Robin', surname, '04/05/1977', 'M', nhsNumber(500 + i), `${i} Pull Street`, 'L2 2AB', String(200000 + i), updatedAt];
}

describe('database pull', () => {
  let hub: IngestHarness;
  beforeAll(async () => {
    hub = await ingestHarness('pull');
  });
  afterAll(() => hub.close());

  const pull = (driver: 'mysql' | 'postgres') => pullConfigSchema.parse({
    feed: 'test-people', driver, urlEnv: 'PARTNER_TEST_URL', idColumn: 'person_id', watermarkColumn: 'updated_at',
    query: `SELECT ${columns} FROM people WHERE updated_at > :watermark ORDER BY updated_at`,
    idsQuery: 'SELECT person_id FROM people',
  });

  it('pulls new and changed rows from MariaDB by watermark and notices deleted rows', async () => {
    const database = `hub_${testRunId()}_partner`;
    const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    await admin.query(`CREATE DATABASE \`${database}\``);
    try {
      await admin.query(`CREATE TABLE \`${database}\`.people (person_id varchar(20) PRIMARY KEY, forename text, surname text, dob text, sex text, nhs_number text, address text, postcode text, uprn text, updated_at varchar(19))`);
      const insert = `INSERT INTO \`${database}\`.people (${columns}) VALUES (?)`;
      for (let i = 1; i <= 3; i++) await admin.query(insert, [values(i, `2026-01-0${i} 10:00:00`)]);
      const env = { PARTNER_TEST_URL: `mysql://root@127.0.0.1:3306/${database}` };
      expect(await runPull(pull('mysql'), hub.feeds, hub.runner, hub.dataSource, env)).toMatchObject({ rows: 3, watermark: '2026-01-03 10:00:00' });

      await admin.query(`UPDATE \`${database}\`.people SET surname = 'Changed', updated_at = '2026-02-01 09:00:00' WHERE person_id = 'Q2'`);
      await admin.query(`DELETE FROM \`${database}\`.people WHERE person_id = 'Q3'`);
      expect(await runPull(pull('mysql'), hub.feeds, hub.runner, hub.dataSource, env)).toMatchObject({ rows: 2, withdrawn: 1 });

      const events = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key.startsWith('test-people/Q'));
      expect(events.filter((m) => m.name === 'PersonObserved')).toHaveLength(4);
      expect(events.filter((m) => m.name === 'PartnerRecordWithdrawn').map((m) => m.key)).toEqual(['test-people/Q3']);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    }
  });

  it('pulls from PostgreSQL the same way', async () => {
    // no ids query here: the MariaDB partner's records belong to the same feed
    const postgresPull = { ...pull('postgres'), idsQuery: undefined };
    const url = new URL(hub.databaseUrl);
    const partner = new Client({ connectionString: hub.databaseUrl });
    await partner.connect();
    try {
      await partner.query(`CREATE SCHEMA partner; CREATE TABLE partner.people (person_id text PRIMARY KEY, forename text, surname text, dob text, sex text, nhs_number text, address text, postcode text, uprn text, updated_at text)`);
      await partner.query(`INSERT INTO partner.people (${columns}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`, values(10, '2026-03-01 08:00:00'));
      url.searchParams.set('options', '-c search_path=partner');
      const env = { PARTNER_TEST_URL: url.toString() };
      expect(await runPull(postgresPull, hub.feeds, hub.runner, hub.dataSource, env)).toMatchObject({ rows: 1 });
      // nothing new since the watermark: nothing pulled
      expect(await runPull(postgresPull, hub.feeds, hub.runner, hub.dataSource, env)).toMatchObject({ rows: 0, withdrawn: 0 });
    } finally {
      await partner.end();
    }
  });
});
