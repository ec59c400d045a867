import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { classifyFailure, describeFailure, LOGGER, type Logger } from '@hub/platform';
import type { FastifyReply } from 'fastify';
import { FeedConfigError } from './feeds/domain';
import { IngestError } from './feeds/feed-registry';
import { KafkaUnavailableError } from './publishing/kafka-publisher';

/**
 * Every failure becomes `{code, message}` with a stable code. Infrastructure outages are
 * 503s that say what is away (nothing was acknowledged, so the caller retries); bugs are
 * 500s whose details go to the log, never to the caller.
 */
@Catch()
export class IngestErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof IngestError) {
      void reply.status(error.status).send({ code: error.code, message: error.message });
      return;
    }
    if (error instanceof FeedConfigError) {
      void reply.status(500).send({ code: 'INGEST.INVALID_MAPPING', message: 'the feed configuration is invalid' });
      return;
    }
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const body = typeof response === 'object' && response && 'code' in response ? response : { code: `HTTP.${error.getStatus()}`, message: error.message };
      void reply.status(error.getStatus()).send(body);
      return;
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) {
      void reply.status(413).send({ code: 'INGEST.REQUEST_TOO_LARGE', message: 'the request body is larger than the limit' });
      return;
    }
    if (status && status >= 400 && status < 500) {
      void reply.status(status).send({ code: `HTTP.${status}`, message: describeFailure(error) });
      return;
    }
    if (classifyFailure(error) === 'transient') {
      const what = error instanceof KafkaUnavailableError ? 'KAFKA' : 'DATABASE';
      this.logger.warn({ error: describeFailure(error) }, `${what.toLowerCase()} unavailable`);
      void reply.status(503).header('Retry-After', '5').send({ code: `INGEST.${what}_UNAVAILABLE`, message: `${what === 'KAFKA' ? 'Kafka' : 'PostgreSQL'} is unavailable: nothing was acknowledged; retry with the same Idempotency-Key` });
      return;
    }
    this.logger.error({ error: describeFailure(error) }, 'unexpected failure');
    void reply.status(500).send({ code: 'INGEST.INTERNAL', message: 'unexpected failure; it has been logged' });
  }
}
