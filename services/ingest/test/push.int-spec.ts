import { PushService } from '../src/push/push.service';
import { ingestHarness, type IngestHarness, personRow, BENCH_HEADER } from './ingest-harness';

// The push path when Kafka is away as a batch arrives: nothing is acknowledged (the API turns
// the TransientError into 503 INGEST.KAFKA_UNAVAILABLE, see ingest-errors.filter.spec.ts), no
// receipt is kept under the Idempotency-Key, and the retry with the same key succeeds once.
describe('push while Kafka is away', () => {
  let hub: IngestHarness;
  beforeAll(async () => {
    hub = await ingestHarness('push-kafka-away');
  });
  afterAll(() => hub.close());

  const record = (i: number) => Object.fromEntries(BENCH_HEADER.split(',').map((column, index) => [column, personRow(i).split(',')[index]]));

  it('acknowledges nothing, keeps no receipt, and succeeds on retry with the same key', async () => {
    const push = new PushService(hub.feeds, hub.runner, hub.dataSource);
    hub.gate.close();
    await expect(push.push('test-partner', 'test-people', 'retry-me', [record(1), record(2)])).rejects.toMatchObject({ name: 'KafkaUnavailableError' });
    const kept = await hub.dataSource.query(`SELECT count(*)::int AS n FROM idempotency_key WHERE key = 'retry-me'`);
    expect(kept[0].n).toBe(0);
    hub.gate.open();
    const { receipt, replayed } = await push.push('test-partner', 'test-people', 'retry-me', [record(1), record(2)]);
    expect(replayed).toBe(false);
    expect(receipt).toMatchObject({ accepted: 2 });
    expect((await push.push('test-partner', 'test-people', 'retry-me', [record(1), record(2)])).replayed).toBe(true);
  });
});
