import { Module } from '@nestjs/common';

/** Skeleton: health, readiness and metrics come from the platform; the ingest capability is built by its own issue. */
@Module({})
export class AppModule {}
