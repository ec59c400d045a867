import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { ALL_TOPICS } from '@hub/contracts';
import { OutboxParkedTable1764150000000, runService } from '@hub/platform';
import { AppModule } from './app.module';
import { IngestRecordRevision1764200000000, IngestTables1764140000000 } from './database/ingest-tables.migration';
import { startDropFolder } from './drop-folder/drop-folder';
import { defaultFeedsDir, FeedRegistry } from './feeds/feed-registry';
import { ingestConfigSchema } from './ingest.config';
import { LoadRunner } from './loads/load-runner';
import { startPulls } from './pull/pull-scheduler';
import { buildOpenApi } from './push/openapi';

process.env.SERVICE_NAME ??= 'ingest';
process.env.HTTP_PORT ??= '3001';

const openApi: { document?: object } = {};
// INGEST_FEEDS_DIR: folders of feed configurations, separated by ':' (default: the shipped ones)
const feeds = FeedRegistry.fromDirectories(process.env.INGEST_FEEDS_DIR ? process.env.INGEST_FEEDS_DIR.split(':') : [defaultFeedsDir]);

void runService({
  configSchema: ingestConfigSchema,
  migrations: [IngestTables1764140000000, IngestRecordRevision1764200000000, OutboxParkedTable1764150000000],
  topics: ALL_TOPICS.filter((topic) => topic.name.startsWith('hub.ingest.')),
  relay: true,
  redis: true,
  bodyLimitBytes: Number(process.env.INGEST_MAX_BODY_BYTES ?? 5 * 1024 * 1024),
  appModule: (runtime) => AppModule.forRuntime(runtime, feeds, openApi),
  configureHttp: async (app, runtime) => {
    // Per credential, shared by every ingest process through Redis.
    await app.register(rateLimit as never, {
      global: true,
      max: runtime.config.INGEST_RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      redis: runtime.redis,
      nameSpace: `${runtime.config.REDIS_KEY_PREFIX}ingest-rate:`,
      allowList: (request: { url: string }) => !request.url.startsWith('/v1/'),
      keyGenerator: (request: { headers: Record<string, string | string[] | undefined>; ip: string }) => {
        const credential = request.headers['x-api-key'] ?? request.headers.authorization ?? request.ip;
        return createHash('sha256').update(String(credential)).digest('hex').slice(0, 32);
      },
      errorResponseBuilder: (_request: unknown, context: { max: number; after: string }) => ({ statusCode: 429, code: 'INGEST.RATE_LIMITED', message: `over ${context.max} requests a minute; retry after ${context.after}` }),
    });
    buildOpenApi(app, openApi);
  },
  background: async (app, runtime) => {
    const runner = app.get(LoadRunner);
    const stops = [startDropFolder(runtime, feeds, runner), startPulls(runtime, feeds, runner)].filter((stop) => stop !== undefined);
    return { stop: async () => void (await Promise.all(stops.map((stop) => stop!()))) };
  },
});
