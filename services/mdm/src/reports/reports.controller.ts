import { Controller, Get, Inject } from '@nestjs/common';
import { AuthenticatedBy } from '@hub/platform';
import { ServiceTokenGuard } from '../internal-auth/service-token.guard';
import { ResolutionService } from '../resolution/resolution.service';
import { matchRatePerFeed, suspectReasons } from './domain';

/** Data-quality views of the masters: which look wrong, and how well each feed links. */
@Controller('internal/v1/reports')
@AuthenticatedBy(ServiceTokenGuard)
export class ReportsController {
  constructor(@Inject(ResolutionService) private readonly resolution: ResolutionService) {}

  @Get('suspects')
  async suspects() {
    await this.resolution.refresh();
    const masters = this.resolution.snapshot().flatMap((master) => {
      const reasons = suspectReasons(this.resolution.personsOf(master.masterId));
      return reasons.length ? [{ masterId: master.masterId, records: master.records.length, reasons }] : [];
    });
    return { total: masters.length, masters };
  }

  @Get('match-rate')
  async matchRate() {
    await this.resolution.refresh();
    return { feeds: matchRatePerFeed(this.resolution.snapshot(), (key) => this.resolution.member(key)?.source.sourceSystem ?? key.split('/')[0]!) };
  }

  /** Blocking: block sizes, capped blocks, candidates per record. */
  @Get('blocking')
  async blocking() {
    await this.resolution.refresh();
    return this.resolution.projection.candidateIndexStats();
  }
}
