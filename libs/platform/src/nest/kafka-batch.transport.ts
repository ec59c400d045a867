import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { BatchConsumer } from '../kafka/batch-consumer';
import type { ConsumedMessage } from '../kafka/consumed-message';
import type { PlatformMetrics } from '../metrics/metrics';

export interface KafkaBatchTransportOptions {
  kafka: Kafka;
  producer: Producer;
  groupId: string;
  /** Prepended to every topic named in an @EventPattern (tests and environments use their own). */
  topicPrefix: string;
  deadLetterTopic: string;
  logger: Logger;
  metrics: PlatformMetrics;
  partitionsConsumedConcurrently?: number;
  maxBytesPerPartition?: number;
}

/**
 * A NestJS transport that keeps `@EventPattern(topic)` handlers but consumes in batches:
 * the built-in Kafka transport hands over one message at a time, too slow for a stream of
 * partner records. A handler receives `ConsumedMessage[]` from one partition of its topic
 * and must make its effect durable before it returns; the offsets are committed after.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private consumer: BatchConsumer | undefined;

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length === 0) {
      callback();
      return;
    }
    const { topicPrefix } = this.options;
    this.consumer = new BatchConsumer({
      kafka: this.options.kafka,
      producer: this.options.producer,
      groupId: this.options.groupId,
      topics: topics.map((topic) => `${topicPrefix}${topic}`),
      deadLetterTopic: this.options.deadLetterTopic,
      logger: this.options.logger,
      metrics: this.options.metrics,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      handle: (messages) => this.dispatch(messages),
    });
    try {
      await this.consumer.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async dispatch(messages: ConsumedMessage[]): Promise<void> {
    const topic = messages[0]!.topic.slice(this.options.topicPrefix.length);
    const handler = this.messageHandlers.get(topic);
    if (!handler) throw new Error(`no handler for topic ${topic}`);
    await lastValueFrom(this.transformToObservable(await handler(messages)), { defaultValue: undefined });
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error('KafkaBatchTransport does not emit events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
