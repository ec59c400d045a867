import { Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { type AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { PORTAL_CONFIG, type PortalConfig } from '../portal.config';
import { noParameters, parseInput } from '../http/query';
import { auditContextOf } from '../http/request-context';
import { searchQuerySchema, type SearchQuery } from './domain/search-query';
import { personIdSchema } from './person-id';
import { PersonsService } from './persons.service';
import { PortalController } from '../http/portal-controller.decorator';

function describeSearch(query: SearchQuery): string {
  const criteria = (['name', 'dob', 'postcode', 'identifier'] as const).filter((key) => query[key] !== undefined).map((key) => `${key}=${JSON.stringify(query[key])}`);
  return `search ${criteria.join(' ')} limit=${query.limit} offset=${query.offset}`;
}

/** Master persons: one by id, and search. Both are reads of personal data, so both are audited. */
@PortalController('persons', 'v1/persons')
export class PersonsController {
  constructor(
    @Inject(PersonsService) private readonly persons: PersonsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PORTAL_CONFIG) private readonly config: PortalConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Search master persons', description: 'By name (fuzzy: trigram word similarity, so a typo still finds the person), exact date of birth, postcode (spaces and case ignored) and identifier (SCHEME:value). Criteria combine with AND; at least one is required. Only active masters are returned, best name match first.' })
  @ApiQuery({ name: 'name', required: false, description: 'A name or part of one, at least two letters' })
  @ApiQuery({ name: 'dob', required: false, description: 'Date of birth, YYYY-MM-DD' })
  @ApiQuery({ name: 'postcode', required: false })
  @ApiQuery({ name: 'identifier', required: false, description: 'SCHEME:value, SCHEME one of NHS, UPN, NI, PNC, LOCAL, OTHER' })
  @ApiQuery({ name: 'limit', required: false, description: 'Page size, 1 to PORTAL_MAX_PAGE_SIZE (default 20)' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiResponse({ status: 200, description: '{ total, limit, offset, items: [{ id, score, name, dateOfBirth, postcodes, identifiers, ... }] }' })
  @ApiResponse({ status: 400, description: 'PORTAL.INVALID_QUERY: an unknown or invalid parameter, or no criterion' })
  @ApiResponse({ status: 401, description: 'AUTH.TOKEN_REQUIRED, AUTH.TOKEN_EXPIRED or AUTH.TOKEN_INVALID' })
  @ApiResponse({ status: 503, description: 'PORTAL.AUDIT_UNAVAILABLE or PORTAL.DATABASE_UNAVAILABLE' })
  async search(@Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    const query = parseInput(searchQuerySchema(this.config.PORTAL_MAX_PAGE_SIZE), raw);
    return this.audit.audited(auditContextOf(request), 'person.search', describeSearch(query), () => this.persons.search(query), (page) => page.items.map((item) => item.id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One master person', description: 'Golden record with provenance per field, linked source records and aliases. An alias id answers 200 with its survivor and `resolvedFrom` set to the id asked for.' })
  @ApiParam({ name: 'id', description: 'Master person id (or an alias of one)' })
  @ApiResponse({ status: 200, description: '{ id, version, status, resolvedFrom?, person, provenance, sourceRecords, aliases, modelVersion }' })
  @ApiResponse({ status: 404, description: 'PORTAL.PERSON_NOT_FOUND' })
  @ApiResponse({ status: 410, description: 'PORTAL.PERSON_RETIRED: every source record of the master was withdrawn' })
  async get(@Param('id') rawId: string, @Query() raw: unknown, @Req() request: AuthenticatedRequest) {
    parseInput(noParameters, raw);
    const id = parseInput(personIdSchema, rawId, 'PORTAL.INVALID_PERSON_ID');
    return this.audit.audited(auditContextOf(request), 'person.read', id, () => this.persons.get(id), (answer) => [answer.id]);
  }
}
