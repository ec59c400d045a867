import { Body, Controller, Delete, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { AuthenticatedBy } from '@hub/platform';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { INGEST_CONFIG, type IngestConfig } from '../ingest.config';
import { IngestError } from '../feeds/feed-registry';
import { PartnerAuthGuard, type PartnerPrincipal } from '../partners/partner-auth.guard';
import { PushService } from './push.service';

function idempotencyKeyOf(value: string | undefined): string {
  if (!value || !/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new IngestError('INGEST.IDEMPOTENCY_KEY_REQUIRED', 'an Idempotency-Key header of 1 to 128 visible ASCII characters is required', 400);
  }
  return value;
}

/** The push API: a partner system sends a batch of records for one of its feeds. */
@ApiTags('push')
@ApiSecurity('api-key')
@ApiSecurity('bearer')
@Controller('v1/feeds/:feed/records')
@AuthenticatedBy(PartnerAuthGuard)
export class PushController {
  constructor(@Inject(PushService) private readonly push: PushService, @Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a batch of records', description: 'Answers once every accepted record is durably on Kafka (acks from all replicas). The record shape is the feed\'s JSON Schema (GET /v1/feeds/{feed}/schema).' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'The same key returns the same receipt; reusing it for a different request is refused (422).' })
  @ApiBody({ schema: { type: 'object', required: ['records'], properties: { records: { type: 'array', items: { type: 'object' } } } } })
  @ApiResponse({ status: 200, description: 'Receipt with an outcome per record (accepted, duplicate, rejected with reasons, withdrawn)' })
  @ApiResponse({ status: 401, description: 'AUTH.INVALID_CREDENTIALS' })
  @ApiResponse({ status: 403, description: 'AUTH.FORBIDDEN_FEED or INGEST.NO_ACTIVE_AGREEMENT' })
  @ApiResponse({ status: 413, description: 'Request larger than the limit' })
  @ApiResponse({ status: 429, description: 'Over the partner\'s rate; see Retry-After' })
  @ApiResponse({ status: 503, description: 'INGEST.KAFKA_UNAVAILABLE: nothing was acknowledged; retry with the same Idempotency-Key' })
  async send(
    @Param('feed') feed: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: unknown,
    @Req() request: { principal: PartnerPrincipal },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const key = idempotencyKeyOf(idempotencyKey);
    const records = (body as { records?: unknown } | null)?.records;
    if (!Array.isArray(records) || records.length === 0) throw new IngestError('INGEST.NO_RECORDS', 'the body must be {"records": [ ... ]} with at least one record', 400);
    if (records.length > this.config.INGEST_MAX_RECORDS_PER_REQUEST) {
      throw new IngestError('INGEST.TOO_MANY_RECORDS', `at most ${this.config.INGEST_MAX_RECORDS_PER_REQUEST} records per request`, 413);
    }
    const { receipt, replayed } = await this.push.push(request.principal.partnerId, feed, key, records);
    if (replayed) reply.header('Idempotent-Replayed', 'true');
    return receipt;
  }

  @Delete(':sourceRecordId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a record', description: 'The record is withdrawn on every topic it reached.' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  async withdraw(
    @Param('feed') feed: string,
    @Param('sourceRecordId') sourceRecordId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: { principal: PartnerPrincipal },
  ) {
    if (sourceRecordId.length > 200) throw new IngestError('INGEST.INVALID_RECORD_ID', 'record ids are at most 200 characters', 400);
    return (await this.push.withdraw(request.principal.partnerId, feed, sourceRecordId, idempotencyKeyOf(idempotencyKey))).receipt;
  }
}
