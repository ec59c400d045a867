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

/** GZIP is the one codec kafkajs ships without extra native packages. */
export const platformCompression = CompressionTypes.GZIP;
