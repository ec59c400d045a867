import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ingest's own tables, in its schema (the platform adds outbox and processed_event). */
export class IngestTables1764140000000 implements MigrationInterface {
  name = 'IngestTables1764140000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE load (
        id text PRIMARY KEY,
        feed text NOT NULL,
        way_in text NOT NULL,
        file_name text,
        content_sha256 text,
        status text NOT NULL,
        status_reason text,
        rows integer NOT NULL DEFAULT 0,
        accepted integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        duplicates integer NOT NULL DEFAULT 0,
        withdrawn integer NOT NULL DEFAULT 0,
        events integer NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await runner.query(`CREATE INDEX load_feed ON load (feed, started_at DESC)`);
    // What the hub holds of each partner record: its current version, the observations it
    // yielded (so a withdrawal reaches each of them) and the loads that brought and last saw it.
    await runner.query(`
      CREATE TABLE source_record (
        feed text NOT NULL,
        source_record_id text NOT NULL,
        version text NOT NULL,
        observations jsonb NOT NULL,
        first_load_id text,
        last_load_id text,
        seen_load_id text,
        withdrawn boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (feed, source_record_id)
      )`);
    await runner.query(`CREATE INDEX source_record_last_load ON source_record (last_load_id)`);
    await runner.query(`
      CREATE TABLE rejected_record (
        id bigserial PRIMARY KEY,
        feed text NOT NULL,
        load_id text,
        row_number integer,
        source_record_id text,
        reasons jsonb NOT NULL,
        raw bytea NOT NULL,
        content_type text NOT NULL,
        status text NOT NULL DEFAULT 'open',
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz
      )`);
    await runner.query(`CREATE INDEX rejected_record_feed ON rejected_record (feed, status, id)`);
    await runner.query(`
      CREATE TABLE quality_profile (
        load_id text PRIMARY KEY,
        feed text NOT NULL,
        profile jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX quality_profile_feed ON quality_profile (feed, created_at DESC)`);
    await runner.query(`
      CREATE TABLE partner (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // API keys are kept only as HMAC-SHA256 digests under a server-side secret; several may
    // be active at once so that a partner can rotate without a gap.
    await runner.query(`
      CREATE TABLE api_key (
        id text PRIMARY KEY,
        partner_id text NOT NULL REFERENCES partner(id),
        digest text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await runner.query(`
      CREATE TABLE idempotency_key (
        partner_id text NOT NULL,
        key text NOT NULL,
        request_sha256 text NOT NULL,
        receipt jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, key)
      )`);
    await runner.query(`
      CREATE TABLE pull_state (
        feed text PRIMARY KEY,
        watermark text,
        last_run_at timestamptz,
        last_error text
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['pull_state', 'idempotency_key', 'api_key', 'partner', 'quality_profile', 'rejected_record', 'source_record', 'load']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}

export { IngestRecordRevision1764200000000 } from './record-revision.migration';
