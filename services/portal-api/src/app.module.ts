import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LOGGER, type ServiceRuntime } from '@hub/platform';
import { AuditController } from './audit/audit.controller';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditService } from './audit/audit.service';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { OpenApiController } from './http/openapi.controller';
import { OPENAPI_DOCUMENT } from './http/openapi';
import { PortalErrorsFilter } from './http/portal-errors.filter';
import { MdmClient } from './mdm/mdm-client';
import { MdmController } from './mdm/mdm.controller';
import { MasterPersonsConsumer } from './persons/master-persons.consumer';
import { PersonCache } from './persons/person-cache';
import { PersonRepository } from './persons/person.repository';
import { PersonsController } from './persons/persons.controller';
import { PersonsService } from './persons/persons.service';
import { ReadModelService } from './persons/read-model.service';
import { PORTAL_CONFIG, type PortalConfig } from './portal.config';

/** Trigram word similarity a name must reach to be a hit (pg_trgm's default is 0.6; 0.5 lets one typo in a short surname through). */
const NAME_SIMILARITY = 0.5;

@Module({})
export class AppModule {
  static forRuntime(runtime: ServiceRuntime<PortalConfig>, openApi: { document?: object }): DynamicModule {
    const { config, logger } = runtime;
    const dataSource = runtime.dataSource!;
    const persons = new PersonRepository(dataSource, NAME_SIMILARITY);
    const cache = new PersonCache(runtime.redis ?? null, config.PORTAL_CACHE_TTL_SECONDS, logger);
    const auditLog = new AuditLogRepository(dataSource);
    return {
      module: AppModule,
      controllers: [MasterPersonsConsumer, PersonsController, MdmController, AuditController, OpenApiController],
      providers: [
        { provide: PORTAL_CONFIG, useValue: config },
        { provide: OPENAPI_DOCUMENT, useValue: openApi },
        { provide: TokenVerifier, useValue: new TokenVerifier({ secret: config.PORTAL_JWT_SECRET, issuer: config.PORTAL_JWT_ISSUER, audience: config.PORTAL_JWT_AUDIENCE }) },
        { provide: ReadModelService, useValue: new ReadModelService(dataSource, persons, cache, logger) },
        { provide: PersonsService, useValue: new PersonsService(persons, cache) },
        { provide: AuditLogRepository, useValue: auditLog },
        { provide: AuditService, useValue: new AuditService(auditLog, logger) },
        { provide: MdmClient, useValue: new MdmClient({ baseUrl: config.MDM_URL, token: config.MDM_SERVICE_TOKEN, timeoutMs: config.MDM_TIMEOUT_MS }) },
        BearerAuthGuard,
        { provide: APP_FILTER, useFactory: (log) => new PortalErrorsFilter(log), inject: [LOGGER] },
      ],
    };
  }
}
