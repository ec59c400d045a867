import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PlatformMetrics } from '../metrics/metrics';
import { Public } from './public.decorator';
import { Readiness } from './readiness';

/**
 * Liveness, readiness and Prometheus metrics. These are the only routes without
 * authentication: they say nothing about any person, and orchestrators and scrapers
 * must reach them. Bind the HTTP port to a private network in production.
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
  ) {}

  @Public()
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: Record<string, string> }> {
    const report = await this.readiness.report();
    reply.status(report.ready ? 200 : 503);
    return { status: report.ready ? 'ready' : 'not ready', checks: report.checks };
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
