/**
 * How a handler failure is treated. A permanent failure (a message that can never be
 * processed: undecodable bytes, an impossible value) goes to the dead-letter topic at once.
 * A transient infrastructure failure (the database or the broker went away) is retried
 * until it heals, never dead-lettered: dead-lettering a whole stream because PostgreSQL
 * restarted would turn an outage into lost work. Anything else is retried a few times and
 * then dead-lettered.
 */
export class PermanentError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

const transientCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN',
  // PostgreSQL: connection exceptions, admin shutdown, cannot connect now, serialization and deadlock retries
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '40001', '40P01', '53300',
]);

const transientNames = new Set([
  'KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded', 'KafkaJSBrokerNotFound', 'KafkaJSLockTimeout', 'KafkaJSNonRetriableError',
]);

export type FailureKind = 'permanent' | 'transient' | 'unknown';

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof PermanentError) return 'permanent';
  if (error instanceof TransientError) return 'transient';
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; driverError?: unknown };
    if (typeof candidate.code === 'string' && transientCodes.has(candidate.code)) return 'transient';
    if (typeof candidate.name === 'string' && transientNames.has(candidate.name)) return 'transient';
    if (typeof candidate.message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error|Connection is closed|terminating connection/i.test(candidate.message)) {
      return 'transient';
    }
    current = candidate.driverError ?? candidate.cause;
  }
  return 'unknown';
}

/** Error text safe to log and to store beside a dead letter: the class, code and first line only. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message.split('\n')[0]!.slice(0, 500)}`;
}
