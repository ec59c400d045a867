// `npm run topics -- create|list [--prefix P]`: creates every topic of the contracts
// catalogue (partitions, retention, cleanup policy) or lists them with their settings.
import { ALL_TOPICS } from '@hub/contracts';
import { createKafka } from '../kafka/kafka-connection';
import { ensureTopics } from '../kafka/topic-admin';

async function main(): Promise<void> {
  const [command = 'list', ...rest] = process.argv.slice(2);
  const prefixIndex = rest.indexOf('--prefix');
  const prefix = prefixIndex >= 0 ? rest[prefixIndex + 1] ?? '' : process.env.TOPIC_PREFIX ?? '';
  const specs = ALL_TOPICS.map((topic) => ({ ...topic, name: `${prefix}${topic.name}` }));
  if (command === 'list') {
    for (const spec of specs) process.stdout.write(`${spec.name}\tpartitions=${spec.partitions}\tretention.ms=${spec.retentionMs}\tcleanup=${spec.cleanupPolicy}\tkey=${spec.key}\n`);
    return;
  }
  if (command !== 'create') throw new Error(`unknown command ${command}: use create or list`);
  const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: 'topics-cli' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await ensureTopics(admin, specs);
    process.stdout.write(`${JSON.stringify({ created: created.length, existing: specs.length - created.length })}\n`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((error) => {
  process.stderr.write(`topics: ${(error as Error).message}\n`);
  process.exit(1);
});
