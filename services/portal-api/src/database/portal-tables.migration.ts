import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * portal-api's tables, in its own schema. `person` is a read model of the master-person
 * topic (rebuildable by replaying it); `audit_log` is the system of record for who read
 * which personal data, and is never rebuilt or trimmed by the service.
 */
export class PortalTables1764160000000 implements MigrationInterface {
  name = 'PortalTables1764160000000';

  async up(runner: QueryRunner): Promise<void> {
    // Fuzzy name search; installed once per database, in public so every schema's search path finds it.
    await runner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await runner.query(`
      CREATE TABLE person (
        id text PRIMARY KEY,
        version integer NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'alias', 'retired')),
        survivor_id text,
        golden jsonb,
        provenance jsonb NOT NULL DEFAULT '[]',
        source_records jsonb NOT NULL DEFAULT '[]',
        aliases jsonb NOT NULL DEFAULT '[]',
        model_version text,
        search_names text[] NOT NULL DEFAULT '{}',
        search_name_text text NOT NULL DEFAULT '',
        dob date,
        postcodes text[] NOT NULL DEFAULT '{}',
        identifiers text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX person_name_trgm ON person USING gin (search_name_text public.gin_trgm_ops) WHERE status = 'active'`);
    await runner.query(`CREATE INDEX person_dob ON person (dob) WHERE status = 'active'`);
    await runner.query(`CREATE INDEX person_postcodes ON person USING gin (postcodes) WHERE status = 'active'`);
    await runner.query(`CREATE INDEX person_identifiers ON person USING gin (identifiers) WHERE status = 'active'`);
    await runner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        resource text NOT NULL,
        subjects text[] NOT NULL DEFAULT '{}',
        outcome text NOT NULL,
        request_id text NOT NULL
      )`);
    await runner.query(`CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC)`);
    await runner.query(`CREATE INDEX audit_log_actor ON audit_log (actor, at DESC)`);
    await runner.query(`CREATE INDEX audit_log_subjects ON audit_log USING gin (subjects)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_log`);
    await runner.query(`DROP TABLE person`);
  }
}
