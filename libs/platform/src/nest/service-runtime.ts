import 'reflect-metadata';
import { type DynamicModule, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { deadLetterTopic } from '@hub/contracts';
import Redis from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource, MixedList } from 'typeorm';
import type { z } from 'zod';
import { loadConfigOrExit, type ServiceConfig, serviceConfigSchema } from '../config/load-config';
import { openDatabase } from '../database/data-source';
import { PlatformTables1764133200000 } from '../database/platform-tables.migration';
import { describeFailure } from '../kafka/failures';
import { createKafka } from '../kafka/kafka-connection';
import { platformProducerConfig } from '../kafka/producer-settings';
import { ensureTopics, type TopicSpec } from '../kafka/topic-admin';
import { createLogger } from '../logging/logger';
import { PlatformMetrics } from '../metrics/metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import { RelayThread } from '../outbox/relay-thread';
import { startTracing, stopTracing } from '../telemetry/tracing';
import { KafkaBatchTransport } from './kafka-batch.transport';
import { PlatformModule } from './platform.module';
import { Readiness } from './readiness';

/** What the platform builds for a service before its Nest modules start. */
export interface ServiceRuntime<C extends ServiceConfig = ServiceConfig> {
  config: C;
  logger: Logger;
  metrics: PlatformMetrics;
  readiness: Readiness;
  kafka: Kafka;
  producer: Producer;
  dataSource?: DataSource;
  redis?: Redis;
}

export interface ServiceDefinition<S extends z.ZodObject> {
  /** Extends serviceConfigSchema with the service's own settings. */
  configSchema?: S;
  /** The service's migrations (after the platform's own tables); omit for a service without a database. */
  migrations?: MixedList<string | (new () => unknown)>;
  /**
   * The database connections' settings: `pipeline` for a service that queues many statements on
   * a transaction's connection while it goes on computing (see DatabaseOptions.pipeline).
   */
  database?: { pipeline?: boolean };
  /** Topics this service produces to or consumes from; created if missing (logical names, prefixed at run time). */
  topics?: TopicSpec[];
  /**
   * Kafka consumer settings: how many partitions' batches are handed to the handlers at once
   * (default 1; a handler that groups concurrent batches into one transaction wants more), and
   * how many bytes a fetch may bring per partition (default 1 MiB).
   */
  consumer?: { partitionsConsumedConcurrently?: number; maxBytesPerPartition?: number };
  /**
   * Starts an outbox relay in this process: `true` on the main thread, `'thread'` on a worker
   * thread of its own (relay-thread.ts: for a service that publishes as fast as it consumes and
   * holds a large heap; a build run from TypeScript source falls back to the main thread).
   */
  relay?: boolean | 'thread';
  redis?: boolean;
  appModule: (runtime: ServiceRuntime<z.infer<S> & ServiceConfig>) => Type | DynamicModule;
  /** Largest HTTP request body accepted (413 beyond it). */
  bodyLimitBytes?: number;
  /** Registers HTTP plugins (rate limits, OpenAPI) before routes are built. */
  configureHttp?: (app: NestFastifyApplication, runtime: ServiceRuntime<z.infer<S> & ServiceConfig>) => Promise<void>;
  /** Work started once the service is up (schedulers, folder watchers); stopped first on shutdown. */
  background?: (app: NestFastifyApplication, runtime: ServiceRuntime<z.infer<S> & ServiceConfig>) => Promise<{ stop: () => Promise<void> } | void>;
}

class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) { this.logger.info({ context }, String(message)); }
  error(message: unknown, trace?: string, context?: string) { this.logger.error({ context, trace: trace?.split('\n')[0] }, String(message)); }
  warn(message: unknown, context?: string) { this.logger.warn({ context }, String(message)); }
  debug(message: unknown, context?: string) { this.logger.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string) { this.logger.trace({ context }, String(message)); }
}

/**
 * Starts a service the way every hub service starts: validated configuration, JSON logs,
 * tracing, metrics, its database migrated, Kafka producer and batch consumer, an outbox
 * relay where it has one, HTTP health routes; and stops it gracefully on SIGTERM/SIGINT
 * (the batch in hand is finished and committed, the outbox batch in hand is published).
 */
export async function runService<S extends z.ZodObject>(definition: ServiceDefinition<S>): Promise<NestFastifyApplication> {
  const schema = (definition.configSchema ?? serviceConfigSchema) as S;
  const config = loadConfigOrExit(schema) as z.infer<S> & ServiceConfig;
  const service = config.SERVICE_NAME;
  startTracing(service, { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger(service, config.LOG_LEVEL);
  const metrics = new PlatformMetrics(service);
  const readiness = new Readiness();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: service, log: (level, message, extra) => logger[level]({ kafka: extra }, message) });

  const prefixed = (definition.topics ?? []).map((topic) => ({ ...topic, name: `${config.TOPIC_PREFIX}${topic.name}` }));
  const dlq = deadLetterTopic(service);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [...prefixed, { ...dlq, name: `${config.TOPIC_PREFIX}${dlq.name}` }]);
  await admin.disconnect();

  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  let producerConnected = true;
  producer.on(producer.events.DISCONNECT, () => (producerConnected = false));
  producer.on(producer.events.CONNECT, () => (producerConnected = true));
  readiness.register('kafka', async () => {
    if (!producerConnected) throw new Error('producer disconnected');
  });

  let dataSource: DataSource | undefined;
  const databaseSchema = config.DATABASE_SCHEMA ?? service.replace(/-/g, '_');
  if (definition.migrations) {
    dataSource = await openDatabase({ url: config.DATABASE_URL, schema: databaseSchema, migrations: [PlatformTables1764133200000, ...(definition.migrations as unknown[])] as never, applicationName: service, pipeline: definition.database?.pipeline });
    readiness.register('postgres', async () => {
      await dataSource!.query('SELECT 1');
    });
  }
  let redis: Redis | undefined;
  if (definition.redis) {
    redis = new Redis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, lazyConnect: true, maxRetriesPerRequest: 2 });
    redis.on('error', (error) => logger.warn({ error: describeFailure(error) }, 'redis error'));
    await redis.connect();
    readiness.register('redis', async () => {
      await redis!.ping();
    });
  }
  const runtime: ServiceRuntime<z.infer<S> & ServiceConfig> = { config, logger, metrics, readiness, kafka, producer, dataSource, redis };

  const app = await NestFactory.create<NestFastifyApplication>(
    { module: class ServiceRoot {}, imports: [PlatformModule.forRuntime(runtime), definition.appModule(runtime)] } as DynamicModule,
    new FastifyAdapter({ bodyLimit: definition.bodyLimitBytes ?? 10 * 1024 * 1024 }),
    { logger: new PinoNestLogger(logger), bufferLogs: false },
  );
  app.connectMicroservice(
    {
      strategy: new KafkaBatchTransport({
        kafka, producer, logger, metrics,
        groupId: `${config.TOPIC_PREFIX}${service}`,
        topicPrefix: config.TOPIC_PREFIX,
        deadLetterTopic: `${config.TOPIC_PREFIX}${dlq.name}`,
        partitionsConsumedConcurrently: definition.consumer?.partitionsConsumedConcurrently,
        maxBytesPerPartition: definition.consumer?.maxBytesPerPartition,
      }),
    },
    { inheritAppConfig: true },
  );
  await definition.configureHttp?.(app, runtime);
  await app.startAllMicroservices();
  let shutdown: (signal: string, code?: number) => Promise<void> = async () => undefined;
  const onThread = definition.relay === 'thread' && dataSource !== undefined && RelayThread.available();
  if (definition.relay === 'thread' && !onThread) logger.warn('outbox relay runs on the main thread (no relay-thread build here)');
  const relay = definition.relay && dataSource && !onThread ? new OutboxRelay(dataSource, producer, { logger, metrics }) : undefined;
  relay?.start();
  const relayThread = onThread
    ? await RelayThread.start(
        { service, logLevel: config.LOG_LEVEL, databaseUrl: config.DATABASE_URL, schema: databaseSchema, brokers: config.KAFKA_BROKERS },
        logger, metrics.registry,
        // events would wait in the outbox unpublished: stop, and let the restart publish them
        () => void shutdown('outbox relay thread failed', 1),
      )
    : undefined;
  if (relayThread) {
    readiness.register('outbox-relay', async () => {
      if (!relayThread.running) throw new Error('outbox relay thread not running');
    });
  }
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const background = (await definition.background?.(app, runtime)) ?? undefined;
  logger.info({ port: config.HTTP_PORT, host: config.HTTP_HOST }, `${service} started`);

  let stopping = false;
  shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    readiness.markShuttingDown();
    logger.info({ signal }, `${service} stopping`);
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await background?.stop();
      await app.close();
      await relay?.stop();
      await relayThread?.stop();
      await producer.disconnect();
      await dataSource?.destroy();
      await redis?.quit();
      await stopTracing();
      logger.info(`${service} stopped`);
      process.exit(code);
    } catch (error) {
      logger.error({ error: describeFailure(error) }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return app;
}
