import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { KAFKA_PRODUCER, LOGGER, type ServiceRuntime } from '@hub/platform';
import type { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { FeedRegistry } from './feeds/feed-registry';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { IngestErrorsFilter } from './ingest-errors.filter';
import { LoadRunner } from './loads/load-runner';
import { RecordStore } from './loads/record-store';
import { ApiKeys } from './partners/api-keys';
import { PartnerAuthGuard } from './partners/partner-auth.guard';
import { KafkaPublisher } from './publishing/kafka-publisher';
import { FeedsController } from './push/feeds.controller';
import { OPENAPI_DOCUMENT } from './push/openapi';
import { PushController } from './push/push.controller';
import { PushService } from './push/push.service';
import { QualityService } from './quality/quality.service';
import { RejectsService } from './rejects/rejects.service';

@Module({})
export class AppModule {
  static forRuntime(runtime: ServiceRuntime<IngestConfig>, feeds: FeedRegistry, openApi: { document?: object }): DynamicModule {
    return {
      module: AppModule,
      controllers: [PushController, FeedsController],
      providers: [
        { provide: INGEST_CONFIG, useValue: runtime.config },
        { provide: FeedRegistry, useValue: feeds },
        { provide: OPENAPI_DOCUMENT, useValue: openApi },
        { provide: RecordStore, useFactory: (dataSource: DataSource) => new RecordStore(dataSource, runtime.config.TOPIC_PREFIX), inject: [DataSource] },
        { provide: KafkaPublisher, useFactory: (producer: Producer) => new KafkaPublisher(producer, runtime.config.TOPIC_PREFIX), inject: [KAFKA_PRODUCER] },
        {
          provide: LoadRunner,
          useFactory: (store: RecordStore, publisher: KafkaPublisher, dataSource: DataSource) => new LoadRunner(feeds, store, publisher, dataSource, runtime.logger),
          inject: [RecordStore, KafkaPublisher, DataSource],
        },
        { provide: ApiKeys, useFactory: (dataSource: DataSource) => new ApiKeys(dataSource, runtime.config.INGEST_API_KEY_SECRET), inject: [DataSource] },
        PartnerAuthGuard,
        PushService,
        RejectsService,
        QualityService,
        { provide: APP_FILTER, useFactory: (logger) => new IngestErrorsFilter(logger), inject: [LOGGER] },
      ],
    };
  }
}
