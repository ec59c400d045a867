import type { TopicSpec as ContractTopicSpec } from '@hub/contracts';
import type { Admin, ITopicConfig } from 'kafkajs';

/** What the broker needs to create a topic; the full catalogue entry is in @hub/contracts. */
export type TopicSpec = Pick<ContractTopicSpec, 'name' | 'partitions' | 'retentionMs' | 'cleanupPolicy'>;

/**
 * Creates the topics the hub needs with their partitions, retention and cleanup policy.
 * Auto-creation is off on the broker, so a missing topic fails loudly instead of appearing
 * with defaults nobody chose. Existing topics are left as they are.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length === 0) return [];
  const topics: ITopicConfig[] = missing.map((spec) => ({
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor: 1,
    configEntries: [
      { name: 'cleanup.policy', value: spec.cleanupPolicy },
      { name: 'retention.ms', value: String(spec.retentionMs) },
    ],
  }));
  await admin.createTopics({ topics, waitForLeaders: true });
  return missing.map((spec) => spec.name);
}
