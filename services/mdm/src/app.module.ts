import { type DynamicModule, Module } from '@nestjs/common';
import { ResolutionConsumer } from './resolution/resolution.consumer';
import { ResolutionService } from './resolution/resolution.service';

@Module({})
export class AppModule {
  static forResolution(resolution: ResolutionService): DynamicModule {
    return { module: AppModule, controllers: [ResolutionConsumer], providers: [{ provide: ResolutionService, useValue: resolution }] };
  }
}
