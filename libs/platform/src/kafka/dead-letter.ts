import { encode } from '@hub/contracts';
import type { Message } from 'kafkajs';
import type { DeadLetterContext } from './consumed-message';

/**
 * A dead letter keeps the original key, value and headers byte for byte (so it can be
 * replayed as it was), with the stable error code and safe message, the consumer group and
 * where the message came from, in the DeadLetter Avro contract.
 */
export function encodeDeadLetter(context: DeadLetterContext): Message {
  const { message } = context;
  const headers = Object.entries(message.headers).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((item) => ({ key, value: item === undefined ? null : Buffer.from(item) })),
  );
  return {
    key: message.key,
    value: encode('DeadLetter', {
      originalTopic: message.topic,
      originalPartition: message.partition,
      originalOffset: Number(message.offset),
      originalTimestamp: Number(message.timestamp) || null,
      key: message.key,
      value: message.value,
      headers,
      errorCode: context.errorCode,
      errorMessage: context.error,
      consumerGroup: context.groupId,
      failedAt: context.failedAt.getTime(),
      attempts: context.attempts,
    }),
  };
}
