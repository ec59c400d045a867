import { IngestError } from './feeds/feed-registry';
import { IngestErrorsFilter } from './ingest-errors.filter';
import { KafkaUnavailableError } from './publishing/kafka-publisher';

describe(IngestErrorsFilter.name, () => {
  const reply = () => {
    const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
    const object = {
      status(code: number) { sent.status = code; return object; },
      header(name: string, value: string) { sent.headers[name] = value; return object; },
      send(body: unknown) { sent.body = body; return object; },
    };
    return { sent, host: { switchToHttp: () => ({ getResponse: () => object }) } as never };
  };
  const logger = { warn: jest.fn(), error: jest.fn() } as never;
  const sut = new IngestErrorsFilter(logger);

  it('says Kafka is unavailable with 503 and Retry-After when the publish failed', () => {
    const { sent, host } = reply();
    sut.catch(new KafkaUnavailableError('Kafka did not acknowledge the events', { cause: new Error('KafkaJSConnectionError') }), host);
    expect(sent).toMatchObject({ status: 503, body: { code: 'INGEST.KAFKA_UNAVAILABLE' }, headers: { 'Retry-After': '5' } });
  });

  it('says PostgreSQL is unavailable when the database connection went', () => {
    const { sent, host } = reply();
    sut.catch(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }), host);
    expect(sent).toMatchObject({ status: 503, body: { code: 'INGEST.DATABASE_UNAVAILABLE' } });
  });

  it('answers expected failures with their status and stable code', () => {
    const { sent, host } = reply();
    sut.catch(new IngestError('INGEST.UNKNOWN_FEED', 'no feed named "x"', 404), host);
    expect(sent).toMatchObject({ status: 404, body: { code: 'INGEST.UNKNOWN_FEED' } });
  });

  it('hides the details of a bug from the caller', () => {
    const { sent, host } = reply();
    sut.catch(new TypeError('secret internals'), host);
    expect(sent).toMatchObject({ status: 500, body: { code: 'INGEST.INTERNAL' } });
    expect(JSON.stringify(sent.body)).not.toContain('secret');
  });
});
