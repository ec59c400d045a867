import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * mdm's tables. `observation_log` is the system of record: every person observation and
 * withdrawal in the order mdm applied it. The resolver's state (candidate index, match graph,
 * clusters) is a projection of that log, rebuilt by replaying it; `master` is the read view
 * of the masters it produced.
 */
export class MdmTables1764150000000 implements MigrationInterface {
  name = 'MdmTables1764150000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE observation_log (
        seq bigserial PRIMARY KEY,
        record_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('observed', 'withdrawn')),
        event_id text NOT NULL,
        source_system text NOT NULL,
        source_record_id text NOT NULL,
        source_version text NOT NULL,
        occurred_at bigint NOT NULL,
        person jsonb,
        logged_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX observation_log_record ON observation_log (record_key, seq)`);
    await runner.query(`
      CREATE TABLE master (
        id text PRIMARY KEY,
        version integer NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'alias', 'retired')),
        survivor_id text,
        records jsonb NOT NULL,
        aliases jsonb NOT NULL DEFAULT '[]',
        golden jsonb,
        model_version text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE match_model (
        version text PRIMARY KEY,
        params jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        promoted_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE match_model`);
    await runner.query(`DROP TABLE master`);
    await runner.query(`DROP TABLE observation_log`);
  }
}
