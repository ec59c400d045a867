import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@hub/contracts';
import type { ConsumedMessage } from '@hub/platform';
import { ReadModelService } from './read-model.service';

/** Thin Kafka handler: a batch of master-person events from one partition. */
@Controller()
export class MasterPersonsConsumer {
  constructor(@Inject(ReadModelService) private readonly readModel: ReadModelService) {}

  @EventPattern(TOPICS.masterPersons.name)
  async onMasterPersons(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.readModel.handle(messages);
  }
}
