import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { AuthenticatedBy } from '@hub/platform';
import { z } from 'zod';
import { ServiceTokenGuard } from '../internal-auth/service-token.guard';
import { parseInput, RECORD_KEY } from '../internal-auth/internal-api';
import { ExplanationService } from './explanation.service';

const pairQuery = z.object({ a: z.string().regex(RECORD_KEY, 'a record key: <source system>/<source record id>'), b: z.string().regex(RECORD_KEY, 'a record key: <source system>/<source record id>') }).strict();
const graphQuery = z.object({ minProbability: z.coerce.number().min(0).max(1).default(0) }).strict();
const masterId = z.string().min(1).max(200);

/** Why records belong to a master, and what any two records score: for portal-api and the evaluation. */
@Controller('internal/v1')
@AuthenticatedBy(ServiceTokenGuard)
export class ExplanationController {
  constructor(@Inject(ExplanationService) private readonly explanations: ExplanationService) {}

  @Get('masters/:id')
  async master(@Param('id') id: string) {
    const found = await this.explanations.master(parseInput(masterId, id));
    if (!found) throw new NotFoundException({ code: 'MDM.MASTER_NOT_FOUND', message: `no master ${id}` });
    return found;
  }

  @Get('masters/:id/explanation')
  async masterExplanation(@Param('id') id: string) {
    const found = await this.explanations.explainMaster(parseInput(masterId, id));
    if (!found) throw new NotFoundException({ code: 'MDM.MASTER_NOT_FOUND', message: `no master ${id}` });
    return found;
  }

  @Get('pairs/explanation')
  async pair(@Query() query: unknown) {
    const { a, b } = parseInput(pairQuery, query);
    const found = await this.explanations.explainPair(a, b);
    if (!found) throw new NotFoundException({ code: 'MDM.RECORD_NOT_FOUND', message: 'one of the records is not held' });
    return found;
  }

  /** The scored pairs at or above a probability (Splink's pairwise view), and the current clusters. */
  @Get('match-graph')
  async graph(@Query() query: unknown) {
    return this.explanations.matchGraph(parseInput(graphQuery, query).minProbability);
  }
}
