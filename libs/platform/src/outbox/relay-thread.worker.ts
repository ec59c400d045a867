// The outbox relay of a service that runs it on a thread of its own (relay-thread.ts). It
// opens its own database pool and Kafka producer, publishes as OutboxRelay always does, and
// posts its metrics to the service's main thread every second.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../database/data-source';
import { describeFailure } from '../kafka/failures';
import { createKafka } from '../kafka/kafka-connection';
import { platformProducerConfig } from '../kafka/producer-settings';
import { createLogger } from '../logging/logger';
import { PlatformMetrics } from '../metrics/metrics';
import { OutboxRelay } from './outbox-relay';
import type { RelayThreadSettings, RelayThreadMessage } from './relay-thread';

const METRICS_EVERY_MS = 1000;

async function main(): Promise<void> {
  const settings = workerData as RelayThreadSettings;
  const port = parentPort!;
  const logger = createLogger(settings.service, settings.logLevel).child({ thread: 'outbox-relay' });
  // the main thread's registry has the process-wide metrics; this one only the relay's
  const metrics = new PlatformMetrics(settings.service, { defaultMetrics: false });
  const dataSource = await openDatabase({ url: settings.databaseUrl, schema: settings.schema, migrations: [], poolSize: 3, applicationName: `${settings.service}-relay` });
  const kafka = createKafka({ brokers: settings.brokers, clientId: `${settings.service}-relay`, log: (level, message, extra) => logger[level]({ kafka: extra }, message) });
  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  const relay = new OutboxRelay(dataSource, producer, { logger, metrics });
  relay.start();
  const post = (message: RelayThreadMessage) => port.postMessage(message);
  const publishMetrics = async () => post({ kind: 'metrics', metrics: await metrics.registry.getMetricsAsJSON() });
  const timer = setInterval(() => void publishMetrics().catch(() => undefined), METRICS_EVERY_MS);
  port.on('message', (message: { kind: 'stop' }) => {
    if (message.kind !== 'stop') return;
    clearInterval(timer);
    void (async () => {
      // the batch in hand is published and its rows deleted before the thread ends
      await relay.stop();
      await publishMetrics();
      await producer.disconnect();
      await dataSource.destroy();
      post({ kind: 'stopped' });
    })().catch((error: unknown) => post({ kind: 'failed', error: describeFailure(error) }));
  });
  post({ kind: 'started' });
}

main().catch((error: unknown) => {
  parentPort!.postMessage({ kind: 'failed', error: describeFailure(error) } satisfies RelayThreadMessage);
});
