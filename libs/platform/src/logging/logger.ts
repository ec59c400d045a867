import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines with the service name and the current trace id. Personal data never goes
 * into a log: callers log ids (event id, source record id is a partner key, not a name),
 * counts and codes. The redact list is a second line of defence for the field names our
 * canonical records use, in case a whole record is ever passed by mistake.
 */
export const personalFieldPaths = [
  'givenNames', 'familyName', 'fullName', 'names', 'dateOfBirth', 'addresses', 'address',
  'postcode', 'email', 'phone', 'identifiers', 'value', 'raw', 'payload',
].flatMap((field) => [field, `*.${field}`]);

export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: personalFieldPaths, censor: '[redacted]' },
      mixin() {
        const span = trace.getActiveSpan()?.spanContext();
        return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
      },
    },
    destination,
  );
}
