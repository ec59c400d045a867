import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { AuthenticatedBy } from '@hub/platform';
import { z } from 'zod';
import { answering, parseInput, RECORD_KEY } from '../internal-auth/internal-api';
import { ServiceTokenGuard } from '../internal-auth/service-token.guard';
import { ResolutionService } from '../resolution/resolution.service';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }).strict();
const decisionBody = z.object({
  a: z.string().regex(RECORD_KEY, 'a record key: <source system>/<source record id>'),
  b: z.string().regex(RECORD_KEY, 'a record key: <source system>/<source record id>'),
  decision: z.enum(['must-link', 'cannot-link']),
  decidedBy: z.string().min(1).max(200),
  note: z.string().max(2000).nullish(),
}).strict();

/** The clerical review queue: pairs the model was unsure of, and reviewers' decisions on them. */
@Controller('internal/v1/review')
@AuthenticatedBy(ServiceTokenGuard)
export class ReviewController {
  constructor(@Inject(ResolutionService) private readonly resolution: ResolutionService) {}

  @Get()
  async list(@Query() query: unknown) {
    const { limit, offset } = parseInput(listQuery, query);
    await this.resolution.refresh();
    const resolver = this.resolution.projection;
    const items = resolver.reviewQueue().sort((x, y) => y.probability - x.probability || (x.recordId < y.recordId ? -1 : 1));
    return {
      total: items.length,
      items: items.slice(offset, offset + limit).map((item) => ({
        a: { recordKey: item.recordId, masterId: resolver.masterOf(item.recordId) ?? null },
        b: { recordKey: item.otherRecordId, masterId: resolver.masterOf(item.otherRecordId) ?? null },
        matchWeight: item.weight, probability: item.probability, reason: item.reason, modelVersion: item.modelVersion,
      })),
    };
  }

  @Post('decisions')
  @HttpCode(200)
  async decide(@Body() body: unknown) {
    const { a, b, decision, decidedBy, note } = parseInput(decisionBody, body);
    const events = await answering(() => this.resolution.decide(a, b, decision, decidedBy, note ?? null));
    return { decision, events: events.map((event) => ({ type: event.type, masterId: event.masterId, version: event.version })) };
  }
}
