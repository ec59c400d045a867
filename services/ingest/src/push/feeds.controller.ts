import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { AuthenticatedBy } from '@hub/platform';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FeedRegistry, IngestError } from '../feeds/feed-registry';
import { LoadRunner } from '../loads/load-runner';
import { PartnerAuthGuard, type PartnerPrincipal } from '../partners/partner-auth.guard';
import { QualityService } from '../quality/quality.service';
import { RejectsService } from '../rejects/rejects.service';
import { OPENAPI_DOCUMENT } from './openapi';

/** What a partner may see about its own feeds: their record schemas, quality, rejects and loads. */
@ApiTags('feeds')
@ApiSecurity('api-key')
@ApiSecurity('bearer')
@Controller('v1')
@AuthenticatedBy(PartnerAuthGuard)
export class FeedsController {
  constructor(
    @Inject(FeedRegistry) private readonly feeds: FeedRegistry,
    @Inject(QualityService) private readonly quality: QualityService,
    @Inject(RejectsService) private readonly rejects: RejectsService,
    @Inject(LoadRunner) private readonly runner: LoadRunner,
    @Inject(OPENAPI_DOCUMENT) private readonly openApi: { document?: object },
  ) {}

  private own(request: { principal: PartnerPrincipal }, name: string) {
    const feed = this.feeds.get(name);
    if (feed.partner !== request.principal.partnerId) throw new IngestError('AUTH.FORBIDDEN_FEED', `this partner may not read feed ${name}`, 403);
    return feed;
  }

  @Get('openapi.json')
  @ApiOperation({ summary: 'This API, in OpenAPI 3' })
  openapi() {
    return this.openApi.document;
  }

  @Get('feeds')
  @ApiOperation({ summary: 'The feeds this partner may write to' })
  list(@Req() request: { principal: PartnerPrincipal }) {
    return this.feeds.all().filter((feed) => feed.partner === request.principal.partnerId).map((feed) => ({
      feed: feed.name, kind: feed.kind, recordTypes: feed.recordTypes, agreement: feed.agreement.id, schema: `/v1/feeds/${feed.name}/schema`,
    }));
  }

  @Get('feeds/:feed/schema')
  @ApiOperation({ summary: 'JSON Schema of the records this feed accepts' })
  schema(@Param('feed') name: string, @Req() request: { principal: PartnerPrincipal }) {
    return this.own(request, name).jsonSchema();
  }

  @Get('feeds/:feed/quality')
  @ApiOperation({ summary: 'Data-quality profile: completeness and validity per field, duplicates, rejects by reason' })
  profile(@Param('feed') name: string, @Req() request: { principal: PartnerPrincipal }) {
    return this.quality.profile(this.own(request, name).name);
  }

  @Get('feeds/:feed/rejects')
  @ApiOperation({ summary: 'Rejected records with their reasons (no raw values)' })
  listRejects(
    @Param('feed') name: string,
    @Req() request: { principal: PartnerPrincipal },
    @Query('status') status?: string,
    @Query('code') code?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ) {
    if (status && !['open', 'replayed', 'corrected'].includes(status)) throw new IngestError('INGEST.INVALID_QUERY', 'status is open, replayed or corrected', 400);
    if ((after && !/^\d{1,18}$/.test(after)) || (limit && !/^\d{1,4}$/.test(limit))) throw new IngestError('INGEST.INVALID_QUERY', 'after and limit are numbers', 400);
    return this.rejects.list(this.own(request, name).name, { status, code: code?.slice(0, 80), after: after ? Number(after) : undefined, limit: limit ? Number(limit) : undefined });
  }

  @Post('rejects/:id/replay')
  @ApiOperation({ summary: 'Replay a rejected record, as it was or corrected ({"record": {...}})' })
  replay(@Param('id') id: string, @Body() body: { record?: unknown } | undefined, @Req() request: { principal: PartnerPrincipal }) {
    if (!/^\d{1,18}$/.test(id)) throw new IngestError('INGEST.UNKNOWN_REJECT', 'reject ids are numbers', 404);
    const record = body?.record;
    if (record !== undefined && (record === null || typeof record !== 'object' || Array.isArray(record))) throw new IngestError('INGEST.RECORD_NOT_OBJECT', 'record must be a JSON object', 400);
    return this.rejects.replay(id, record as Record<string, unknown> | undefined, request.principal.partnerId);
  }

  @Get('loads/:id')
  @ApiOperation({ summary: 'A load or receipt and its counts' })
  async load(@Param('id') id: string, @Req() request: { principal: PartnerPrincipal }) {
    const report = await this.runner.report(id.slice(0, 80));
    this.own(request, report.feed);
    return report;
  }
}
