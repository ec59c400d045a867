import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RejectsService } from '../rejects/rejects.service';
import type { QualityProfile } from './quality-profile';

/** A feed's data-quality profile: its latest loads' field completeness and flags, and open rejects by reason. */
@Injectable()
export class QualityService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource, @Inject(RejectsService) private readonly rejects: RejectsService) {}

  async profile(feed: string) {
    const [latest] = (await this.dataSource.query(
      `SELECT q.load_id, q.profile, l.finished_at FROM quality_profile q JOIN load l ON l.id = q.load_id WHERE q.feed = $1 ORDER BY q.created_at DESC LIMIT 1`,
      [feed],
    )) as { load_id: string; profile: QualityProfile; finished_at: string | null }[];
    const [totals] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE NOT withdrawn) AS held, count(*) FILTER (WHERE withdrawn) AS withdrawn FROM source_record WHERE feed = $1`,
      [feed],
    )) as { held: string; withdrawn: string }[];
    return {
      feed,
      recordsHeld: Number(totals?.held ?? 0),
      recordsWithdrawn: Number(totals?.withdrawn ?? 0),
      openRejectsByReason: await this.rejects.countsByReason(feed),
      latestLoad: latest ? { load: latest.load_id, finishedAt: latest.finished_at, ...latest.profile } : null,
    };
  }
}
