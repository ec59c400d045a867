import { PermanentError, TransientError, classifyFailure, describeFailure } from './failures';

describe(classifyFailure.name, () => {
  it('knows what can never succeed', () => {
    expect(classifyFailure(new PermanentError('X.BAD', 'bad'))).toBe('permanent');
  });

  it('treats lost connections to PostgreSQL or Kafka as transient, however deeply wrapped', () => {
    expect(classifyFailure(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('query failed'), { driverError: Object.assign(new Error('x'), { code: '57P01' }) }))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('broker'), { name: 'KafkaJSConnectionError' }))).toBe('transient');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyFailure(new TransientError('later'))).toBe('transient');
  });

  it('leaves other errors unknown, to be retried a few times', () => {
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('unknown');
  });
});

describe(describeFailure.name, () => {
  it('keeps only the first line, bounded', () => {
    const text = describeFailure(new Error(`first\nsecond ${'x'.repeat(1000)}`));
    expect(text).toBe('Error: first');
    expect(describeFailure(new Error('y'.repeat(2000))).length).toBeLessThanOrEqual(510);
  });
});
