import { CompressionTypes, Partitioners, type ProducerConfig } from 'kafkajs';

/**
 * Producer settings every service uses, and that the bus benchmark measures: idempotent
 * (so a retried send cannot duplicate a message), acks from all in-sync replicas, and at
 * most 5 requests in flight (the ceiling at which the broker still keeps per-partition
 * order for an idempotent producer).
 */
export const platformProducerConfig: ProducerConfig = {
  idempotent: true,
  // murmur2, as the Java client partitions: a key lands on the same partition whoever writes it
  createPartitioner: Partitioners.DefaultPartitioner,
  maxInFlightRequests: 5,
  allowAutoTopicCreation: false,
  // Bounded, so a caller learns that Kafka is down instead of waiting forever (kafkajs warns
  // that this weakens exactly-once; the hub relies on idempotent consumers, not on EoS).
  retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 3000 },
};

/** acks=-1: the write is on every in-sync replica before the send resolves. */
export const platformAcks = -1 as const;

/**
 * No compression. kafkajs's one built-in codec, GZIP, halves the producer's ceiling on a
 * 2-core machine (npm run bench:bus -- --compression gzip: about 34,000 against 66,000
 * messages/s), and CPU, not network or disk, is what limits the hub there. Where brokers are
 * remote or disk is short, revisit this with the benchmark.
 */
export const platformCompression = CompressionTypes.None;
