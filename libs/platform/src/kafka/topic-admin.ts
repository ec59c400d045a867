import type { TopicSpec as ContractTopicSpec } from '@hub/contracts';
import type { Admin, ITopicConfig } from 'kafkajs';

/** What the broker needs to create a topic; the full catalogue entry is in @hub/contracts. */
export type TopicSpec = Pick<ContractTopicSpec, 'name' | 'partitions' | 'retentionMs' | 'cleanupPolicy'>;

/** Attempts to create a service's topics before its start fails (about 30 s of waiting in all). */
const CREATE_TOPIC_ATTEMPTS = 8;

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
  for (let attempt = 1; ; attempt++) {
    try {
      // resolves false, not an error, when another service made the topics first
      await admin.createTopics({ topics, waitForLeaders: true });
      break;
    } catch (error) {
      // Just after a topic is created, a busy broker may not yet list it in its metadata, and
      // kafkajs's wait for leaders then gives up with a retriable error (This server does not
      // host this topic-partition) although the topic exists. Seen when every service starts
      // at once on a loaded machine; asking again is safe, since creating is idempotent.
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= CREATE_TOPIC_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5000)));
    }
  }
  return missing.map((spec) => spec.name);
}

export interface GroupProgress {
  /** Messages ever written to the topic (the sum of its partitions' end offsets). */
  published: number;
  /** Of those, the ones the group has committed past. */
  consumed: number;
  /** Every partition with messages has been committed to its end. */
  caughtUp: boolean;
}

/**
 * How far a consumer group has got through a topic, by its committed offsets: what waits for
 * a service to have handled everything on its topic (benchmarks, evaluations, the demo). A
 * group commits after its batch's effect is durable, so caught up means handled.
 */
export async function consumerGroupProgress(admin: Pick<Admin, 'fetchTopicOffsets' | 'fetchOffsets'>, groupId: string, topic: string): Promise<GroupProgress> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
  let published = 0;
  let consumed = 0;
  for (const end of ends) {
    const high = Number(end.high);
    published += high;
    consumed += Math.min(high, at.get(end.partition) ?? 0);
  }
  return { published, consumed, caughtUp: consumed === published };
}
