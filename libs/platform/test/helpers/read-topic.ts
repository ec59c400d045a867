import type { Kafka } from 'kafkajs';

/** The values of the first `count` messages on `topic`, as text, in the order they were read. */
export async function readValues(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `${topic}.reader` });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
        if (seen.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}
