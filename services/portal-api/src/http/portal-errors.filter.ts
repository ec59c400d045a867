import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { classifyFailure, LOGGER, type Logger } from '@hub/platform';
import type { FastifyReply } from 'fastify';
import { PortalError } from './portal-error';

/**
 * Every failure becomes `{code, message}` with a stable code. PostgreSQL being away is a 503;
 * bugs are 500s whose error name goes to the log (never messages that could quote data).
 */
@Catch()
export class PortalErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof PortalError) {
      if (error.status === 503 || error.status === 502) void reply.header('Retry-After', '5');
      void reply.status(error.status).send({ code: error.code, message: error.message, ...error.details });
      return;
    }
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const body = typeof response === 'object' && response && 'code' in response ? response : { code: `HTTP.${error.getStatus()}`, message: error.message };
      if (error.getStatus() === 401) void reply.header('WWW-Authenticate', 'Bearer realm="portal-api"');
      void reply.status(error.getStatus()).send(body);
      return;
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      void reply.status(status).send({ code: `HTTP.${status}`, message: 'the request could not be read' });
      return;
    }
    if (classifyFailure(error) === 'transient') {
      this.logger.warn({ error: (error as Error).name }, 'database unavailable');
      void reply.status(503).header('Retry-After', '5').send({ code: 'PORTAL.DATABASE_UNAVAILABLE', message: 'PostgreSQL is unavailable; retry later' });
      return;
    }
    this.logger.error({ error: (error as Error).name, code: (error as { code?: string }).code }, 'unexpected failure');
    void reply.status(500).send({ code: 'PORTAL.INTERNAL', message: 'unexpected failure; it has been logged' });
  }
}
