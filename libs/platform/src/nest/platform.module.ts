import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { PlatformMetrics } from '../metrics/metrics';
import { ClosedByDefaultGuard } from './auth.guard';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';
import type { ServiceRuntime } from './service-runtime';
import { CONFIG, KAFKA_PRODUCER, LOGGER, REDIS } from './tokens';

/** Makes the runtime's shared parts injectable everywhere in a service and adds health routes. */
@Global()
@Module({})
export class PlatformModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: runtime.config },
      { provide: LOGGER, useValue: runtime.logger },
      { provide: PlatformMetrics, useValue: runtime.metrics },
      { provide: Readiness, useValue: runtime.readiness },
      { provide: KAFKA_PRODUCER, useValue: runtime.producer },
      { provide: REDIS, useValue: runtime.redis ?? null },
      { provide: DataSource, useValue: runtime.dataSource ?? null },
      { provide: APP_GUARD, useClass: ClosedByDefaultGuard },
    ];
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers,
      exports: providers.filter((provider) => provider.provide !== APP_GUARD).map((provider) => provider.provide),
    };
  }
}
