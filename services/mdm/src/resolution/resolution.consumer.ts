import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@hub/contracts';
import type { ConsumedMessage } from '@hub/platform';
import { ResolutionService } from './resolution.service';

/** Thin Kafka handler: a batch of person observations (and withdrawals) from one partition. */
@Controller()
export class ResolutionConsumer {
  constructor(@Inject(ResolutionService) private readonly resolution: ResolutionService) {}

  @EventPattern(TOPICS.personObserved.name)
  async onPersonObservations(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.resolution.handle(messages);
  }
}
