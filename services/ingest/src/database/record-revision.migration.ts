import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record's revision: 1 when the hub first holds it, one more for each change after that
 * (a new version, a withdrawal, a return). Event ids carry it from the second revision on, so
 * that a record coming back to an earlier state (A, B, then A again; withdrawn and sent again
 * unchanged) does not reuse the ids of events consumers have already seen and would drop.
 */
export class IngestRecordRevision1764200000000 implements MigrationInterface {
  name = 'IngestRecordRevision1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE source_record ADD COLUMN revision integer NOT NULL DEFAULT 1`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE source_record DROP COLUMN revision`);
  }
}
