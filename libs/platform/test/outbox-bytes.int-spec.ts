import { createTestDatabase } from '@hub/testkit';
import type { DataSource } from 'typeorm';
import { Latin1Bytes, PlatformTables1764133200000, appendToOutbox, openDatabase } from '../src';

/**
 * An outbox row holds exactly the bytes it was given, whether as a Buffer or as Latin1Bytes
 * (a string of one character per byte, which mdm holds instead of a buffer per event): every
 * byte value, and a payload larger than pg's writer starts with.
 */
describe('appendToOutbox payloads', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openDatabase({ url: await createTestDatabase('outbox-bytes'), migrations: [PlatformTables1764133200000], poolSize: 2 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('stores the same bytes from a Buffer and from Latin1Bytes', async () => {
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const large = Buffer.from(Array.from({ length: 100 * 1024 }, (_, i) => (i * 31) % 256));
    const given: Array<[string, Buffer | Latin1Bytes, Buffer]> = [
      ['buffer', everyByte, everyByte],
      ['latin1', Latin1Bytes.of(everyByte), everyByte],
      ['latin1-text', new Latin1Bytes(large.toString('latin1')), large],
    ];
    await dataSource.transaction((manager) =>
      appendToOutbox(manager, given.map(([eventId, payload]) => ({ topic: 'bytes.events.v1', key: eventId, aggregateType: 'test', eventType: 'TestEvent', eventId, payload }))),
    );
    const rows = (await dataSource.query(`SELECT event_id, payload FROM outbox ORDER BY id`)) as Array<{ event_id: string; payload: Buffer }>;
    expect(rows.map((row) => row.event_id)).toEqual(given.map(([eventId]) => eventId));
    rows.forEach((row, n) => expect(row.payload.equals(given[n]![2])).toBe(true));
  });
});
