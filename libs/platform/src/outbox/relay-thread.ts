import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { Counter, Gauge, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

/** What the relay's thread needs to open its own connections. */
export interface RelayThreadSettings {
  service: string;
  logLevel: string;
  databaseUrl: string;
  schema?: string;
  brokers: string[];
}

export type RelayThreadMessage =
  | { kind: 'started' }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: string }
  | { kind: 'metrics'; metrics: MetricObjectWithValues<MetricValue<string>>[] };

const WORKER_FILE = join(__dirname, 'relay-thread.worker.js');
const STOP_TIMEOUT_MS = 20_000;

/**
 * A service's outbox relay on a worker thread of its own, with its own database pool and
 * Kafka producer, instead of on the thread that handles the service's messages.
 *
 * Why: a busy service's relay publishes as many events as it consumes, and kafkajs encodes
 * each record into buffers of its own. Buffers live outside V8's heap, and V8 starts a full
 * marking of the heap each time 64 MiB more of such memory has been allocated since the last
 * one; in mdm, whose heap holds millions of long-lived objects, that was what started almost
 * every major collection (docs/benchmarks.md). A worker thread has its own heap and its own
 * count, and the relay's heap is small. It also publishes on the machine's other core.
 *
 * Nothing else changes: the relay is the same OutboxRelay, so its guarantees (order per key,
 * rows deleted only once Kafka has them, shards taken over when a relay dies) are the same.
 * If the thread fails, `onFailure` is told: the service should stop, and its restart
 * publishes what the outbox holds.
 */
export class RelayThread {
  private readonly counted = new Map<string, number>();
  private stopped: Promise<void> | undefined;
  private alive = false;

  private constructor(
    private readonly worker: Worker,
    private readonly registry: Registry,
  ) {}

  /** Whether this build has the thread's script (a service run from its TypeScript source does not). */
  static available(): boolean {
    return existsSync(WORKER_FILE);
  }

  /**
   * Starts the thread; resolves once its relay is publishing. `workerFile` is the built
   * script, for code run from its TypeScript source (tests).
   */
  static start(settings: RelayThreadSettings, logger: Logger, registry: Registry, onFailure: (error: string) => void, workerFile = WORKER_FILE): Promise<RelayThread> {
    const worker = new Worker(workerFile, { workerData: settings });
    const thread = new RelayThread(worker, registry);
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (message: RelayThreadMessage) => {
        if (message.kind === 'metrics') thread.absorb(message.metrics);
        else if (message.kind === 'started') {
          started = true;
          thread.alive = true;
          resolve(thread);
        } else if (message.kind === 'failed') {
          thread.alive = false;
          logger.error({ error: message.error }, 'outbox relay thread failed');
          if (started) onFailure(message.error);
          else {
            // a half-started thread may hold a pool or a producer that keeps retrying
            void worker.terminate();
            reject(new Error(`outbox relay thread failed to start: ${message.error}`));
          }
        }
      });
      worker.on('error', (error) => {
        thread.alive = false;
        logger.error({ error: error.message }, 'outbox relay thread crashed');
        if (started) onFailure(error.message);
        else reject(error);
      });
      worker.on('exit', (code) => {
        const expected = thread.stopped !== undefined;
        thread.alive = false;
        if (!expected && started) onFailure(`the outbox relay thread exited with ${code}`);
      });
    });
  }

  get running(): boolean {
    return this.alive;
  }

  /** Publishes the batch in hand, closes the thread's connections and ends it. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      if (!this.alive) {
        void this.worker.terminate().then(() => resolve());
        return;
      }
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), STOP_TIMEOUT_MS);
      this.worker.on('message', (message: RelayThreadMessage) => {
        if (message.kind !== 'stopped' && message.kind !== 'failed') return;
        clearTimeout(timer);
        void this.worker.terminate().then(() => resolve());
      });
      this.worker.postMessage({ kind: 'stop' });
    });
    return this.stopped;
  }

  /**
   * The thread's counters and gauges, carried into the service's own registry so that its
   * /metrics endpoint shows them as before: counters grow by what the thread counted since its
   * last report, gauges take the thread's value.
   */
  private absorb(snapshot: MetricObjectWithValues<MetricValue<string>>[]): void {
    for (const metric of snapshot) {
      // the declared enum is numeric; what getMetricsAsJSON gives is the name
      const type = metric.type as unknown as string;
      if (type !== 'counter' && type !== 'gauge') continue;
      const labelNames = [...new Set(metric.values.flatMap((value) => Object.keys(value.labels)))].filter((name) => name !== 'service');
      const target = (this.registry.getSingleMetric(metric.name) as Counter<string> | Gauge<string> | undefined)
        ?? (type === 'counter'
          ? new Counter({ name: metric.name, help: metric.help, labelNames, registers: [this.registry] })
          : new Gauge({ name: metric.name, help: metric.help, labelNames, registers: [this.registry] }));
      for (const value of metric.values) {
        const { service: _service, ...labels } = value.labels;
        if (target instanceof Gauge) {
          target.set(labels, value.value);
          continue;
        }
        const key = `${metric.name}${JSON.stringify(labels)}`;
        const grown = value.value - (this.counted.get(key) ?? 0);
        this.counted.set(key, value.value);
        if (grown > 0) target.inc(labels, grown);
      }
    }
  }
}
