import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The observation log becomes the log of everything that decides the masters: besides
 * observations and withdrawals, reviewers' decisions and model promotions, in the one order
 * every mdm process replays. `detail` holds a decision's pair or a promotion's model version.
 */
export class MdmLogEntries1764160000000 implements MigrationInterface {
  name = 'MdmLogEntries1764160000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE observation_log DROP CONSTRAINT IF EXISTS observation_log_kind_check`);
    await runner.query(`ALTER TABLE observation_log ADD CONSTRAINT observation_log_kind_check CHECK (kind IN ('observed', 'withdrawn', 'must-link', 'cannot-link', 'model-promoted'))`);
    await runner.query(`ALTER TABLE observation_log ADD COLUMN detail jsonb`);
    await runner.query(`ALTER TABLE match_model ADD COLUMN summary jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE match_model DROP COLUMN summary`);
    await runner.query(`ALTER TABLE observation_log DROP COLUMN detail`);
    await runner.query(`ALTER TABLE observation_log DROP CONSTRAINT observation_log_kind_check`);
    await runner.query(`ALTER TABLE observation_log ADD CONSTRAINT observation_log_kind_check CHECK (kind IN ('observed', 'withdrawn'))`);
  }
}
