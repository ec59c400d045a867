import { Module } from '@nestjs/common';

/** Skeleton: health, readiness and metrics come from the platform; the grouping capability has not been built yet. */
@Module({})
export class AppModule {}
