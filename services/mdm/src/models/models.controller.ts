import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { AuthenticatedBy } from '@hub/platform';
import { z } from 'zod';
import { answering, parseInput } from '../internal-auth/internal-api';
import { ServiceTokenGuard } from '../internal-auth/service-token.guard';
import { ModelsService } from './models.service';

const version = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'a model version');
const promoteBody = z.object({ promotedBy: z.string().min(1).max(200) }).strict();
const trainBody = z.object({ maxRandomPairs: z.number().int().min(1000).max(5_000_000).optional() }).strict();

/** Match models: trained from the held records without labels, stored, compared, promoted explicitly. */
@Controller('internal/v1/models')
@AuthenticatedBy(ServiceTokenGuard)
export class ModelsController {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Get()
  list() {
    return this.models.list();
  }

  @Post()
  @HttpCode(201)
  train(@Body() body: unknown) {
    return this.models.train(parseInput(trainBody, body ?? {}));
  }

  @Get(':version/report')
  async report(@Param('version') id: string) {
    const report = await this.models.report(parseInput(version, id));
    if (!report) throw new NotFoundException({ code: 'MDM.MODEL_NOT_FOUND', message: `no model ${id}` });
    return report;
  }

  @Post(':version/promote')
  @HttpCode(200)
  async promote(@Param('version') id: string, @Body() body: unknown) {
    const { promotedBy } = parseInput(promoteBody, body);
    const result = await answering(() => this.models.promote(parseInput(version, id), promotedBy));
    if (!result) throw new NotFoundException({ code: 'MDM.MODEL_NOT_FOUND', message: `no model ${id}` });
    return result;
  }
}
