import { platformAcks, platformCompression, injectTraceHeaders, TransientError } from '@hub/platform';
import type { Producer } from 'kafkajs';
import type { OutgoingMessage } from './row-events';

/** Kafka did not take the events: nothing was acknowledged, the caller may retry. */
export class KafkaUnavailableError extends TransientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaUnavailableError';
  }
}

/**
 * Publishes ingest's events straight to Kafka (ingest is where records enter the hub: there
 * is no earlier state change to put in an outbox) and resolves only when every message is
 * on all in-sync replicas. Messages of one key keep their order.
 */
export class KafkaPublisher {
  private needsReconnect = false;

  constructor(private readonly producer: Producer, private readonly topicPrefix: string) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (this.needsReconnect) {
      // kafkajs's idempotent producer does not recover its connections and sequence numbers
      // after the broker went away mid-request; a fresh session (new producer id) does.
      await this.producer.disconnect().catch(() => undefined);
      await this.producer.connect().catch((error: unknown) => {
        throw new KafkaUnavailableError('Kafka is unavailable', { cause: error });
      });
      this.needsReconnect = false;
    }
    const trace = injectTraceHeaders();
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const message of messages) {
      const topic = `${this.topicPrefix}${message.topic}`;
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push({ key: message.key, value: message.value, headers: { ...trace, 'event-type': message.eventType, 'event-id': message.eventId } });
    }
    try {
      await this.producer.sendBatch({ acks: platformAcks, compression: platformCompression, topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })) });
    } catch (error) {
      this.needsReconnect = true;
      throw new KafkaUnavailableError('Kafka did not acknowledge the events', { cause: error });
    }
  }
}
