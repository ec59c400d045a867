import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from '@hub/platform';
import type { DataSource } from 'typeorm';
import { DataSource as DataSourceToken } from 'typeorm';
import { ExplanationController } from './explanation/explanation.controller';
import { ExplanationService } from './explanation/explanation.service';
import { MDM_SERVICE_TOKEN, ServiceTokenGuard } from './internal-auth/service-token.guard';
import { ModelsController } from './models/models.controller';
import { MDM_LOGGER, ModelsService } from './models/models.service';
import { ReportsController } from './reports/reports.controller';
import { ResolutionConsumer } from './resolution/resolution.consumer';
import { ResolutionService } from './resolution/resolution.service';
import { ReviewController } from './review/review.controller';

@Module({})
export class AppModule {
  static forResolution(resolution: ResolutionService, dependencies: { dataSource: DataSource; logger: Logger; serviceToken: string | undefined }): DynamicModule {
    return {
      module: AppModule,
      controllers: [ResolutionConsumer, ExplanationController, ReviewController, ModelsController, ReportsController],
      providers: [
        { provide: ResolutionService, useValue: resolution },
        { provide: DataSourceToken, useValue: dependencies.dataSource },
        { provide: MDM_LOGGER, useValue: dependencies.logger },
        { provide: MDM_SERVICE_TOKEN, useValue: dependencies.serviceToken },
        ServiceTokenGuard, ExplanationService, ModelsService,
      ],
    };
  }
}
