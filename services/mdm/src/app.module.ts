import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceRuntime } from '@hub/platform';
import { ResolutionConsumer } from './resolution/resolution.consumer';
import { ResolutionService } from './resolution/resolution.service';

@Module({})
export class AppModule {
  static forRuntime(runtime: ServiceRuntime, resolution: ResolutionService): DynamicModule {
    void runtime;
    return { module: AppModule, controllers: [ResolutionConsumer], providers: [{ provide: ResolutionService, useValue: resolution }] };
  }
}
