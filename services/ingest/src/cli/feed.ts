// `npm run feed -- <command>`: ingest from the command line, against the same database and
// Kafka as the running service (settings from the environment, as the service reads them).
//
//   load <feed> <file>         load a delivery; progress on stderr, one JSON line on stdout
//   check <feed> <file>        dry run: what a load would do, changing nothing
//   undo <load>                withdraw everything a load brought
//   release <load>             apply a quarantined load after review
//   report <load>              a load's counts and status
//   rejects <feed> [--code C] [--status open]   rejected records (reasons, no values)
//   replay <reject-id> [--record file.json]     replay a rejected record, as it was or corrected
//   profile <feed>             data-quality profile
//   feeds                      the configured feeds
//   pull <feed>                run a configured database pull now
//   key issue <partner> | key rotate <partner> [--overlap-hours H] | key revoke <key-id>
import { readFileSync, statSync } from 'node:fs';
import { ALL_TOPICS } from '@hub/contracts';
import {
  createKafka, createLogger, ensureTopics, loadConfig, openDatabase, OutboxParkedTable1764150000000, OutboxRelay, PlatformTables1764133200000, platformProducerConfig, serviceConfigSchema,
} from '@hub/platform';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { IngestRecordRevision1764200000000, IngestTables1764140000000 } from '../database/ingest-tables.migration';
import { defaultFeedsDir, FeedRegistry, IngestError } from '../feeds/feed-registry';
import { LoadRunner } from '../loads/load-runner';
import { RecordStore } from '../loads/record-store';
import { ApiKeys } from '../partners/api-keys';
import { KafkaPublisher } from '../publishing/kafka-publisher';
import { loadPullConfigs } from '../pull/pull-config';
import { runPull } from '../pull/pull-scheduler';
import { QualityService } from '../quality/quality.service';
import { RejectsService } from '../rejects/rejects.service';

const cliConfigSchema = serviceConfigSchema.extend({
  SERVICE_NAME: z.string().default('ingest'),
  INGEST_API_KEY_SECRET: z.string().min(32).optional(),
  INGEST_FEEDS_DIR: z.string().optional(),
});

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help') {
    process.stderr.write(readFileSync(__filename, 'utf8').split('\n').filter((line) => line.startsWith('//')).map((line) => line.slice(3)).join('\n') + '\n');
    return command ? 0 : 2;
  }
  const config = loadConfig(cliConfigSchema);
  const logger = createLogger('ingest-cli', process.env.LOG_LEVEL ?? 'warn');
  const feeds = FeedRegistry.fromDirectories(config.INGEST_FEEDS_DIR ? config.INGEST_FEEDS_DIR.split(':') : [defaultFeedsDir]);
  if (command === 'feeds') {
    for (const feed of feeds.all()) print({ feed: feed.name, partner: feed.partner, kind: feed.kind, format: feed.format, encoding: feed.encoding, agreement: feed.agreement.id });
    return 0;
  }
  const dataSource = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA ?? 'ingest', migrations: [PlatformTables1764133200000, IngestTables1764140000000, IngestRecordRevision1764200000000, OutboxParkedTable1764150000000], poolSize: 4, applicationName: 'ingest-cli' });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'ingest-cli', log: (level, message) => level === 'error' && logger.error(message) });
  const producer = kafka.producer(platformProducerConfig);
  let relay: OutboxRelay | undefined;
  try {
    if (command === 'key') {
      if (!config.INGEST_API_KEY_SECRET) throw new IngestError('CONFIG.INVALID', 'INGEST_API_KEY_SECRET: required to issue keys');
      const keys = new ApiKeys(dataSource, config.INGEST_API_KEY_SECRET);
      const [action, target] = args;
      if (!target) throw new IngestError('CLI.USAGE', 'key issue|rotate <partner> or key revoke <key-id>');
      if (action === 'issue') print({ partner: target, ...(await keys.issue(target)), note: 'the key is shown once; store it in the partner system' });
      else if (action === 'rotate') print({ partner: target, ...(await keys.rotate(target, Number(option(args, 'overlap-hours') ?? 24))) });
      else if (action === 'revoke') print({ revoked: target, ...(await keys.revoke(target), {}) });
      else throw new IngestError('CLI.USAGE', 'key issue|rotate|revoke');
      return 0;
    }
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, ALL_TOPICS.filter((topic) => topic.name.startsWith('hub.ingest.')).map((topic) => ({ ...topic, name: `${config.TOPIC_PREFIX}${topic.name}` })));
    await admin.disconnect();
    await producer.connect();
    relay = new OutboxRelay(dataSource, producer, { logger, claimEveryMs: 200 });
    relay.start();
    const runner = new LoadRunner(feeds, new RecordStore(dataSource, config.TOPIC_PREFIX), new KafkaPublisher(producer, config.TOPIC_PREFIX), dataSource, logger);
    const rejects = new RejectsService(feeds, runner, dataSource);
    const withProgress = async <T>(path: string, work: (onBytes: (bytes: number) => void) => Promise<T>): Promise<T> => {
      const total = statSync(path).size;
      const bar = process.stderr.isTTY ? new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} MB | {eta_formatted} left', stream: process.stderr, hideCursor: true }) : undefined;
      const mb = (bytes: number) => Number((bytes / 1048576).toFixed(1));
      bar?.start(mb(total), 0);
      try {
        return await work((bytes) => bar?.update(mb(bytes)));
      } finally {
        bar?.stop();
      }
    };
    switch (command) {
      case 'load': {
        const [feed, file] = args;
        if (!feed || !file) throw new IngestError('CLI.USAGE', 'load <feed> <file>');
        const report = await withProgress(file, (onBytes) => runner.loadFile(feed, file, { onBytes }));
        print({ feed: report.feed, load: report.load, rows: report.rows, accepted: report.accepted, rejected: report.rejected, duplicates: report.duplicates, withdrawn: report.withdrawn, status: report.status, ...(report.reason ? { reason: report.reason } : {}) });
        return report.status === 'completed' ? 0 : 3;
      }
      case 'check': {
        const [feed, file] = args;
        if (!feed || !file) throw new IngestError('CLI.USAGE', 'check <feed> <file>');
        print(await withProgress(file, (onBytes) => runner.check(feed, file, onBytes)));
        return 0;
      }
      case 'undo':
      case 'release':
      case 'report': {
        const [load] = args;
        if (!load) throw new IngestError('CLI.USAGE', `${command} <load>`);
        print(command === 'undo' ? await runner.undo(load) : command === 'release' ? await runner.release(load) : await runner.report(load));
        return 0;
      }
      case 'rejects': {
        const [feed] = args;
        if (!feed) throw new IngestError('CLI.USAGE', 'rejects <feed>');
        for (const reject of await rejects.list(feeds.get(feed).name, { code: option(args, 'code'), status: option(args, 'status'), limit: 1000 })) print(reject);
        return 0;
      }
      case 'replay': {
        const [id] = args;
        if (!id) throw new IngestError('CLI.USAGE', 'replay <reject-id> [--record file.json]');
        const recordFile = option(args, 'record');
        print(await rejects.replay(id, recordFile ? JSON.parse(readFileSync(recordFile, 'utf8')) : undefined));
        return 0;
      }
      case 'profile': {
        const [feed] = args;
        if (!feed) throw new IngestError('CLI.USAGE', 'profile <feed>');
        print(await new QualityService(dataSource, rejects).profile(feeds.get(feed).name));
        return 0;
      }
      case 'pull': {
        const [feed] = args;
        const pull = loadPullConfigs().find((candidate) => candidate.feed === feed);
        if (!pull) throw new IngestError('INGEST.UNKNOWN_PULL', `no pull configured for feed ${feed}`);
        print({ feed, ...(await runPull(pull, feeds, runner, dataSource)) });
        return 0;
      }
      default:
        throw new IngestError('CLI.USAGE', `unknown command ${command}; try: npm run feed -- help`);
    }
  } finally {
    if (relay) {
      // let the rejects' events leave before exiting (the service's relay would publish them later anyway)
      for (let i = 0; i < 100; i++) {
        const [{ pending }] = (await dataSource.query(`SELECT count(*)::int AS pending FROM outbox`)) as { pending: number }[];
        if (pending === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await relay.stop();
    }
    await producer.disconnect().catch(() => undefined);
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const code = (error as { code?: string }).code;
    const known = typeof code === 'string' && /^[A-Z]+\.[A-Z_]+$/.test(code);
    process.stderr.write(`${JSON.stringify({ error: known ? code : 'INGEST.FAILED', message: (error as Error).message.split('\n')[0] })}\n`);
    process.exit(known ? 2 : 1);
  },
);
