import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics shared by every service. Labels are topics, consumer groups and
 * outcome codes only: never anything taken from a record.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly consumed = new Counter({ name: 'hub_messages_consumed_total', help: 'Messages handled by a consumer', labelNames: ['group', 'topic'], registers: [this.registry] });
  readonly failed = new Counter({ name: 'hub_message_failures_total', help: 'Handler attempts that failed', labelNames: ['group', 'topic', 'kind'], registers: [this.registry] });
  readonly deadLettered = new Counter({ name: 'hub_messages_dead_lettered_total', help: 'Messages sent to a dead-letter topic', labelNames: ['group', 'topic'], registers: [this.registry] });
  readonly duplicatesSkipped = new Counter({ name: 'hub_duplicate_events_skipped_total', help: 'Events a consumer had already processed', labelNames: ['consumer'], registers: [this.registry] });
  readonly lag = new Gauge({ name: 'hub_consumer_lag', help: 'Messages behind the high watermark, per partition', labelNames: ['group', 'topic', 'partition'], registers: [this.registry] });
  readonly batchSeconds = new Histogram({ name: 'hub_batch_duration_seconds', help: 'Time to handle one consumed batch', labelNames: ['group'], buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  readonly produced = new Counter({ name: 'hub_messages_produced_total', help: 'Messages acknowledged by Kafka', labelNames: ['topic'], registers: [this.registry] });
  readonly outboxPublished = new Counter({ name: 'hub_outbox_published_total', help: 'Outbox rows published to Kafka', registers: [this.registry] });
  readonly outboxPending = new Gauge({ name: 'hub_outbox_pending', help: 'Outbox rows waiting to be published (last poll)', registers: [this.registry] });

  constructor(service: string, options: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}
