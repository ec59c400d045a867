// Child process for the kill-and-restart test: `consumer` applies input events, `relay`
// publishes the outbox. Both are killed with SIGKILL at random moments by the test.
import { BatchConsumer, OutboxRelay, PlatformMetrics, PlatformTables1764133200000, createKafka, createLogger, openDatabase, platformProducerConfig } from '../../src';
import { TallyTable1764133300000, applyBatch } from './tally';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const [mode, databaseUrl, brokers, inputTopic, outputTopic, groupId] = process.argv.slice(2) as [string, string, string, string, string, string];
  const logger = createLogger(`tally-${mode}`, process.env.LOG_LEVEL ?? 'warn');
  const dataSource = await openDatabase({ url: databaseUrl, migrations: [PlatformTables1764133200000, TallyTable1764133300000], poolSize: 4 });
  const kafka = createKafka({ brokers: brokers.split(','), clientId: `tally-${mode}` });
  const producer = kafka.producer(platformProducerConfig);
  await producer.connect();
  const metrics = new PlatformMetrics(`tally-${mode}`, { defaultMetrics: false });
  // Widen the windows a crash is most dangerous in (effect durable but offset not yet
  // committed; rows published but not yet deleted), so that random kills land in them.
  const windowMs = Number(process.env.TALLY_DANGER_WINDOW_MS ?? 150);
  const widened = new Proxy(producer, {
    get(target, property, receiver) {
      if (property !== 'sendBatch') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<typeof target.sendBatch>) => {
        const result = await target.sendBatch(...args);
        await sleep(windowMs);
        return result;
      };
    },
  });
  if (mode === 'relay') {
    const relay = new OutboxRelay(dataSource, widened, { logger, metrics, batchSize: 500, claimEveryMs: 200 });
    relay.start();
  } else {
    const consumer = new BatchConsumer({
      kafka, groupId, topics: [inputTopic], producer, logger, metrics, sessionTimeoutMs: 6000,
      deadLetterTopic: `${inputTopic}.dlq`,
      handle: async (messages) => {
        await applyBatch(dataSource, messages, outputTopic);
        await sleep(windowMs);
      },
    });
    await consumer.start();
  }
  process.stdout.write('ready\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
