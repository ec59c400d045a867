import type { Consumer, EachBatchPayload, Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { PlatformMetrics } from '../metrics/metrics';
import { extractTraceContext, inSpan, SpanKind } from '../telemetry/tracing';
import { type ConsumedMessage, type DeadLetterContext, DetachedMessage } from './consumed-message';
import { encodeDeadLetter } from './dead-letter';
import { classifyFailure, describeFailure, PermanentError } from './failures';
import { platformAcks, platformCompression } from './producer-settings';

export type BatchHandler = (messages: ConsumedMessage[]) => Promise<void>;

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Must make its effect durable before it resolves: the offsets are committed right after. */
  handle: BatchHandler;
  /** Producer used for dead letters (the platform's idempotent producer). */
  producer: Producer;
  deadLetterTopic: string;
  /** Turns a failed message into the dead-letter message; defaults to the DeadLetter contract. */
  encodeDeadLetter?: (context: DeadLetterContext) => Message;
  logger: Logger;
  metrics?: PlatformMetrics;
  /** Attempts for a failure that is neither permanent nor transient, before dead-lettering. */
  maxAttempts?: number;
  retryBackoffMs?: number;
  maxBackoffMs?: number;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  maxBytesPerPartition?: number;
  sessionTimeoutMs?: number;
}

/** Well inside kafkajs' default session timeout (30 s) and heartbeat interval (3 s). */
const HEARTBEAT_WHILE_HANDLING_MS = 3000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type FetchedMessage = EachBatchPayload['batch']['messages'][number];

/**
 * The batch's messages with their bytes copied out, and kafkajs' own references to the fetched
 * buffer dropped (see DetachedMessage): kafkajs needs only their offsets from here on, and with
 * no slice left the buffer can be freed by a young collection instead of a full one.
 */
function detach(batch: EachBatchPayload['batch']): ConsumedMessage[] {
  const messages = batch.messages.map((m) => new DetachedMessage(batch.topic, batch.partition, m.offset, m.key, m.value, m.headers, m.timestamp));
  // rawMessages: every message of the fetch, those before the fetched offset included; the
  // batch's messages are some of the same objects
  const fetched = (batch as unknown as { rawMessages?: FetchedMessage[] }).rawMessages ?? batch.messages;
  for (const message of fetched) {
    message.key = null;
    message.value = null;
    message.headers = {};
  }
  return messages;
}

/**
 * A Kafka consumer that hands whole batches to its handler and commits only after the
 * handler's effect is durable (at-least-once; handlers are idempotent). When a batch fails
 * it first waits out transient failures (database or broker gone) and otherwise falls back
 * to one message at a time, so that a single poisoned message goes to the dead-letter topic
 * with its original bytes and the rest of the batch goes on.
 */
export class BatchConsumer {
  private consumer: Consumer | undefined;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private stopping = false;
  /** Offsets of handled batches (their effects durable) waiting to be committed, by topic and partition. */
  private readonly toCommit = new Map<string, { topic: string; partition: number; offset: string }>();
  /** The commits under way, if any: one request at a time, for every partition waiting. */
  private committing: Promise<void> | undefined;

  constructor(private readonly options: BatchConsumerOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.retryBackoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.stopping = false;
    // a consumer started again reads from the committed offsets: what its predecessor had not yet committed is read again
    this.toCommit.clear();
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30000,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1048576,
      allowAutoTopicCreation: false,
    });
    const consumer = this.consumer;
    // kafkajs restarts itself after retriable errors only; after any other crash (a member the
    // coordinator no longer knows, say) it would stay stopped and the service would consume
    // nothing while looking healthy. Start it again instead.
    consumer.on(consumer.events.CRASH, (event) => {
      if (this.stopping || event.payload.restart) return;
      this.options.logger.error({ groupId, error: String(event.payload.error) }, 'consumer crashed; starting it again');
      setTimeout(() => {
        if (this.stopping || this.consumer !== consumer) return;
        void consumer.disconnect().catch(() => undefined).then(() => (this.stopping ? undefined : this.start())).catch((error: unknown) => {
          this.options.logger.error({ groupId, error: String(error) }, 'consumer restart failed');
        });
      }, this.backoffMs);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.options.logger.info({ groupId, topics }, 'consumer started');
  }

  /** Finishes the batch in hand, commits it and every offset still waiting, and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.committing;
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.options.logger.info({ groupId: this.options.groupId }, 'consumer stopped');
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const { groupId, metrics } = this.options;
    const messages = detach(batch);
    const timer = metrics?.batchSeconds.startTimer({ group: groupId });
    const parent = extractTraceContext(messages[messages.length - 1]!.headers);
    // A long batch must not cost the group membership: heartbeat while the handler works.
    const heartbeats = setInterval(() => void payload.heartbeat().catch(() => undefined), HEARTBEAT_WHILE_HANDLING_MS);
    try {
      await inSpan(`consume ${batch.topic}`, { kind: SpanKind.CONSUMER, parent, attributes: { 'messaging.batch.message_count': messages.length, 'messaging.destination.partition.id': batch.partition } }, async () => {
        const handledWhole = await this.handleWhole(messages, payload);
        if (!handledWhole) await this.handleOneByOne(messages, payload);
      });
    } finally {
      clearInterval(heartbeats);
    }
    if (payload.isStale()) return;
    const last = messages[messages.length - 1]!;
    // the next fetch of this partition starts after this batch
    payload.resolveOffset(last.offset);
    // Committed without holding up the next fetch (see commitSoon), except while stopping:
    // graceful shutdown finishes the batch in hand and commits it before leaving the group.
    const committed = this.commitSoon(batch.topic, batch.partition, last.offset);
    if (this.stopping) await committed;
    timer?.();
    metrics?.consumed.inc({ group: groupId, topic: batch.topic }, messages.length);
    const behind = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
    metrics?.lag.set({ group: groupId, topic: batch.topic, partition: String(batch.partition) }, Math.max(0, behind));
    await payload.heartbeat();
  }

  /**
   * Commits a handled batch's offset soon, without waiting for it. Kafka took 40 ms a commit
   * on this project's two-core machine (docs/benchmarks.md, "Offsets committed without waiting"),
   * and kafkajs fetches a partition again only once every batch of the last fetch has returned:
   * awaited, the commits held up every transaction of a steady stream. Not waiting loses
   * nothing: the batch's effect is durable before its offset is handed here, so a commit lost
   * to a crash or a rebalance only makes the idempotent handler see those messages again.
   * Offsets handed over while a commit is under way go together in the next request; the
   * promise settles once a request carrying the offset has been answered (a failed commit is
   * logged, not thrown).
   */
  private commitSoon(topic: string, partition: number, offset: string): Promise<void> {
    this.toCommit.set(`${topic}|${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    // started a step later, so that it never ends before `committing` holds it
    this.committing ??= Promise.resolve().then(() => this.commitWaiting());
    return this.committing;
  }

  private async commitWaiting(): Promise<void> {
    try {
      while (this.toCommit.size > 0) {
        const offsets = [...this.toCommit.values()];
        this.toCommit.clear();
        const consumer = this.consumer;
        if (!consumer) return;
        try {
          await consumer.commitOffsets(offsets);
        } catch (error) {
          this.options.logger.warn({ groupId: this.options.groupId, offsets, error: describeFailure(error) }, 'offset commit failed; those messages will be read again');
        }
      }
    } finally {
      // in the same step as the loop's last check: an offset handed over after it starts a new round
      this.committing = undefined;
    }
  }

  /** True when the whole batch was handled; false when it must be split to find a bad message. */
  private async handleWhole(messages: ConsumedMessage[], payload: EachBatchPayload): Promise<boolean> {
    let waits = 0;
    for (;;) {
      try {
        await this.options.handle(messages);
        return true;
      } catch (error) {
        const kind = classifyFailure(error);
        this.options.metrics?.failed.inc({ group: this.options.groupId, topic: payload.batch.topic, kind });
        if (kind !== 'transient') {
          if (messages.length === 1) return false;
          this.options.logger.warn({ groupId: this.options.groupId, topic: payload.batch.topic, partition: payload.batch.partition, size: messages.length, error: describeFailure(error) }, 'batch failed; retrying one message at a time');
          return false;
        }
        if (!payload.isRunning() || payload.isStale() || this.stopping) throw error;
        waits++;
        this.options.logger.warn({ groupId: this.options.groupId, error: describeFailure(error), waits }, 'transient failure; waiting before retrying the batch');
        await this.pause(waits, payload);
      }
    }
  }

  private async handleOneByOne(messages: ConsumedMessage[], payload: EachBatchPayload): Promise<void> {
    for (const message of messages) {
      let attempts = 0;
      for (;;) {
        attempts++;
        try {
          await this.options.handle([message]);
          break;
        } catch (error) {
          const kind = classifyFailure(error);
          if (kind === 'transient') {
            if (!payload.isRunning() || payload.isStale() || this.stopping) throw error;
            attempts--;
            await this.pause(1, payload);
            continue;
          }
          if (kind === 'permanent' || attempts >= this.maxAttempts) {
            const errorCode = error instanceof PermanentError ? error.code : 'HANDLER.RETRIES_EXHAUSTED';
            await this.deadLetter({ message, groupId: this.options.groupId, errorCode, error: describeFailure(error), attempts, failedAt: new Date() });
            break;
          }
          await this.pause(attempts, payload);
        }
      }
      payload.resolveOffset(message.offset);
    }
  }

  private async deadLetter(context: DeadLetterContext): Promise<void> {
    const { producer, deadLetterTopic, logger, metrics, groupId } = this.options;
    await producer.send({ topic: deadLetterTopic, acks: platformAcks, compression: platformCompression, messages: [(this.options.encodeDeadLetter ?? encodeDeadLetter)(context)] });
    metrics?.deadLettered.inc({ group: groupId, topic: context.message.topic });
    logger.error(
      { groupId, topic: context.message.topic, partition: context.message.partition, offset: context.message.offset, attempts: context.attempts, code: context.errorCode, error: context.error, deadLetterTopic },
      'message dead-lettered',
    );
  }

  private async pause(attempt: number, payload: EachBatchPayload): Promise<void> {
    const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** Math.min(attempt - 1, 10));
    await sleep(delay);
    await payload.heartbeat().catch(() => undefined);
  }
}
