import { Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole, type AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { ROLES } from '../auth/domain/principal';
import { parseInput } from '../http/query';
import { auditContextOf } from '../http/request-context';
import { pageSchema } from '../persons/domain/search-query';
import { PORTAL_CONFIG, type PortalConfig } from '../portal.config';
import { AuditLogRepository } from './audit-log.repository';
import { AuditService } from './audit.service';
import { PortalController } from '../http/portal-controller.decorator';

const ACTIONS = ['person.read', 'person.search', 'explanation.read', 'review.list', 'review.decide', 'report.read', 'audit.read'] as const;

const auditQuerySchema = (maxLimit: number) =>
  z
    .object({
      actor: z.string().min(1).max(200).optional(),
      action: z.enum(ACTIONS).optional(),
      subject: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/).optional(),
      from: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
      to: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
      ...pageSchema(maxLimit),
    })
    .strict();

/** Who read what and when, for information-governance officers (auditor role). Reading it is itself audited. */
@PortalController('audit', 'v1/audit')
export class AuditController {
  constructor(
    @Inject(AuditLogRepository) private readonly log: AuditLogRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PORTAL_CONFIG) private readonly config: PortalConfig,
  ) {}

  @Get()
  @RequireRole(ROLES.auditor)
  @ApiOperation({ summary: 'Audit log entries, newest first (auditor role)' })
  @ApiQuery({ name: 'actor', required: false, description: 'the caller\'s subject' })
  @ApiQuery({ name: 'action', required: false, enum: ACTIONS })
  @ApiQuery({ name: 'subject', required: false, description: 'a master id the read showed' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 date-time, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 date-time, exclusive' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiResponse({ status: 200, description: '{ total, items: [{ id, at, actor, action, resource, subjects, outcome, requestId }] }' })
  @ApiResponse({ status: 403, description: 'AUTH.ROLE_REQUIRED' })
  async list(@Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    const query = parseInput(auditQuerySchema(this.config.PORTAL_MAX_PAGE_SIZE), raw);
    const resource = `audit ${Object.entries(raw as Record<string, string>).map(([k, v]) => `${k}=${v}`).sort().join(' ')}`.trim();
    return this.audit.audited(auditContextOf(request), 'audit.read', resource, () => this.log.list(query), () => []);
  }
}
