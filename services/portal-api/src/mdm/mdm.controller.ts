import { Body, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { RequireRole, type AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { ROLES } from '../auth/domain/principal';
import { noParameters, parseInput } from '../http/query';
import { auditContextOf } from '../http/request-context';
import { personIdSchema } from '../persons/person-id';
import { PORTAL_CONFIG, type PortalConfig } from '../portal.config';
import { MdmClient } from './mdm-client';
import { decisionSchema, masterIdsIn, pairQuerySchema, reviewQuerySchema } from './mdm-queries';
import { PortalController } from '../http/portal-controller.decorator';

const MDM_ERRORS = 'PORTAL.MDM_UNAVAILABLE (503: mdm did not answer; 502: mdm failed), PORTAL.MDM_REJECTED_CREDENTIALS (502)';

/** What mdm knows and portal-api does not keep: why records were linked, the review queue, reports. */
@PortalController('matching', 'v1')
export class MdmController {
  constructor(
    @Inject(MdmClient) private readonly mdm: MdmClient,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PORTAL_CONFIG) private readonly config: PortalConfig,
  ) {}

  @Get('persons/:id/explanation')
  @ApiOperation({ summary: 'Why a master person\'s records were linked', description: 'Per record, the links with their kind, match weight, probability, model version and each comparison\'s level and weight (from mdm).' })
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: '{ masterId, survivorId, modelVersion, threshold, records: [{ recordKey, links: [...] }] }' })
  @ApiResponse({ status: 404, description: 'MDM.MASTER_NOT_FOUND' })
  @ApiResponse({ status: 503, description: MDM_ERRORS })
  async masterExplanation(@Param('id') rawId: string, @Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    parseInput(noParameters, raw);
    const id = parseInput(personIdSchema, rawId, 'PORTAL.INVALID_PERSON_ID');
    return this.audit.audited(auditContextOf(request), 'explanation.read', id, () => this.mdm.get(`/internal/v1/masters/${encodeURIComponent(id)}/explanation`), (answer) => [id, ...masterIdsIn(answer)]);
  }

  @Get('pairs/explanation')
  @ApiOperation({ summary: 'How two source records compare', description: 'Record keys are <sourceSystem>/<sourceRecordId>, given as query parameters because they contain a slash.' })
  @ApiQuery({ name: 'a', description: 'record key' })
  @ApiQuery({ name: 'b', description: 'record key' })
  @ApiResponse({ status: 200, description: '{ a, b, matchWeight, probability, decision, modelVersion, comparisons }' })
  @ApiResponse({ status: 400, description: 'PORTAL.INVALID_QUERY' })
  @ApiResponse({ status: 404, description: 'MDM.RECORD_NOT_FOUND' })
  async pairExplanation(@Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    const query = parseInput(pairQuerySchema, raw);
    return this.audit.audited(auditContextOf(request), 'explanation.read', `pair ${query.a} ${query.b}`, () => this.mdm.get('/internal/v1/pairs/explanation', query), (answer) => masterIdsIn(answer));
  }

  @Get('review')
  @ApiOperation({ summary: 'The review queue', description: 'Pairs the model could not decide, with the masters their records are in.' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiResponse({ status: 200, description: '{ total, items: [{ a: { recordKey, masterId }, b: { recordKey, masterId }, matchWeight, probability }] }' })
  async review(@Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    const query = parseInput(reviewQuerySchema(this.config.PORTAL_MAX_PAGE_SIZE), raw);
    return this.audit.audited(auditContextOf(request), 'review.list', `review limit=${query.limit} offset=${query.offset}`, () => this.mdm.get('/internal/v1/review', query), (answer) => masterIdsIn(answer));
  }

  @Post('review/decisions')
  @HttpCode(200)
  @RequireRole(ROLES.reviewer)
  @ApiOperation({ summary: 'Decide a review pair (reviewer role)', description: 'must-link joins the two records\' masters, cannot-link keeps them apart; decidedBy is the caller\'s subject.' })
  @ApiBody({ schema: { type: 'object', required: ['a', 'b', 'decision'], additionalProperties: false, properties: { a: { type: 'string' }, b: { type: 'string' }, decision: { enum: ['must-link', 'cannot-link'] }, note: { type: 'string', maxLength: 1000 } } } })
  @ApiResponse({ status: 200, description: '{ decision, events: [{ type, masterId }] }' })
  @ApiResponse({ status: 400, description: 'PORTAL.INVALID_BODY' })
  @ApiResponse({ status: 403, description: 'AUTH.ROLE_REQUIRED' })
  @ApiResponse({ status: 404, description: 'mdm: unknown record' })
  @ApiResponse({ status: 409, description: 'mdm: the decision conflicts with an earlier one' })
  async decide(@Body() raw: unknown, @Req() request: AuthenticatedRequest) {
    const body = parseInput(decisionSchema, raw, 'PORTAL.INVALID_BODY');
    const context = auditContextOf(request);
    return this.audit.audited(context, 'review.decide', `${body.decision} ${body.a} ${body.b}`, () => this.mdm.post('/internal/v1/review/decisions', { ...body, decidedBy: context.principal.subject }), (answer) => masterIdsIn(answer));
  }

  @Get('reports/suspects')
  @ApiOperation({ summary: 'Masters that look wrong', description: 'Masters mdm suspects hold more than one person (or should be joined), with the reasons.' })
  @ApiResponse({ status: 200, description: '{ masters: [{ masterId, reasons }] }' })
  async suspects(@Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    parseInput(noParameters, raw);
    return this.audit.audited(auditContextOf(request), 'report.read', 'report suspects', () => this.mdm.get('/internal/v1/reports/suspects'), (answer) => masterIdsIn(answer));
  }

  @Get('reports/match-rate')
  @ApiOperation({ summary: 'Linkage per feed', description: 'Per source system: records, linked records, rate.' })
  @ApiResponse({ status: 200, description: '{ feeds: [{ sourceSystem, records, linked, rate }] }' })
  async matchRate(@Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    parseInput(noParameters, raw);
    return this.audit.audited(auditContextOf(request), 'report.read', 'report match-rate', () => this.mdm.get('/internal/v1/reports/match-rate'), () => []);
  }
}
