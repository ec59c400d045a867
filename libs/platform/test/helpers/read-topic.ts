import type { Kafka } from 'kafkajs';

/**
 * The values of the first `count` messages on `topic` that `groupId` has not read yet (a new
 * group by default: from the topic's beginning), as bytes, in the order they were read.
 */
export async function readRawValues(kafka: Kafka, topic: string, count: number, groupId = `${topic}.reader.${Date.now()}`): Promise<Buffer[]> {
  const consumer = kafka.consumer({ groupId });
  const seen: Buffer[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value!);
        if (seen.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

/** The values of the first `count` messages on `topic`, as text, in the order they were read. */
export async function readValues(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  return (await readRawValues(kafka, topic, count, `${topic}.reader`)).map(String);
}
