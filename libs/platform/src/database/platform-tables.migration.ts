import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables every service's database has: the transactional outbox and the record of
 * events each consumer has processed. Services list this migration first in theirs.
 */
export class PlatformTables1764133200000 implements MigrationInterface {
  name = 'PlatformTables1764133200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        shard smallint NOT NULL,
        topic text NOT NULL,
        message_key text NOT NULL,
        aggregate_type text NOT NULL,
        event_type text NOT NULL,
        event_id text NOT NULL,
        payload bytea NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX outbox_shard_order ON outbox (shard, id)`);
    await runner.query(`
      CREATE TABLE processed_event (
        consumer text NOT NULL,
        event_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE processed_event`);
    await runner.query(`DROP TABLE outbox`);
  }
}
