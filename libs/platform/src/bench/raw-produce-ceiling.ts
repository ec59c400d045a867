import type { CompressionTypes, Kafka } from 'kafkajs';
import { platformAcks, platformCompression, platformProducerConfig } from '../kafka/producer-settings';

/**
 * The raw kafkajs produce ceiling with the platform's producer settings: sends of
 * `batchSize` messages, `inFlight` at once, nothing else. Later benchmarks print it beside
 * their own figures, measured in the same run on the same machine.
 */
export async function rawProduceCeiling(
  kafka: Kafka,
  topic: string,
  options: {
    messages: number;
    valueAt: (index: number) => Buffer;
    /** Headers for each message (none by default: the raw ceiling). */
    headersAt?: (index: number) => Record<string, string>;
    batchSize?: number;
    inFlight?: number;
    compression?: CompressionTypes;
    onProgress?: (sent: number) => void;
  },
): Promise<{ messagesPerSecond: number; mibPerSecond: number }> {
  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  const batch = options.batchSize ?? 500;
  const inFlight = options.inFlight ?? 8;
  let sent = 0;
  let bytes = 0;
  const sending = new Set<Promise<unknown>>();
  const started = process.hrtime.bigint();
  for (let start = 0; start < options.messages; start += batch) {
    const messages = Array.from({ length: Math.min(batch, options.messages - start) }, (_, i) => {
      const value = options.valueAt(start + i);
      bytes += value.length;
      return { key: `key-${(start + i) % 100_000}`, value, ...(options.headersAt ? { headers: options.headersAt(start + i) } : {}) };
    });
    const promise: Promise<unknown> = producer.send({ topic, acks: platformAcks, compression: options.compression ?? platformCompression, messages }).then(() => {
      sent += messages.length;
      sending.delete(promise);
      options.onProgress?.(sent);
    });
    sending.add(promise);
    // The first send goes alone: on a topic just created a partition may still refuse a
    // write, and kafkajs rolls back the sequence numbers of a whole failed request, which
    // sends already queued behind it would then reuse (OUT_OF_ORDER_SEQUENCE_NUMBER).
    if (sending.size >= inFlight || start === 0) await Promise.race(sending);
  }
  await Promise.all(sending);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return { messagesPerSecond: options.messages / seconds, mibPerSecond: bytes / 2 ** 20 / seconds };
}
