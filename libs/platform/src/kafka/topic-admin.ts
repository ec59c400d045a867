import type { Admin, ITopicConfig } from 'kafkajs';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** milliseconds; -1 keeps messages forever (compacted topics only). */
  retentionMs: number;
  cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
}

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
