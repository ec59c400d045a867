import { TOPICS } from '@hub/contracts';
import { runService } from '@hub/platform';
import { AppModule } from './app.module';
import { PortalTables1764160000000 } from './database/portal-tables.migration';
import { buildOpenApi } from './http/openapi';
import { portalConfigSchema } from './portal.config';

process.env.SERVICE_NAME ??= 'portal-api';
process.env.HTTP_PORT ??= '3000';

const openApi: { document?: object } = {};

void runService({
  configSchema: portalConfigSchema,
  migrations: [PortalTables1764160000000],
  topics: [TOPICS.masterPersons],
  redis: true,
  bodyLimitBytes: 64 * 1024,
  appModule: (runtime) => AppModule.forRuntime(runtime, openApi),
  configureHttp: async (app) => buildOpenApi(app, openApi),
});
