import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@hub/contracts';
import { OutboxParkedTable1764150000000, runService } from '@hub/platform';
import { Gauge, Histogram } from 'prom-client';
import { loadTables } from '@hub/synthetic';
import { AppModule } from './app.module';
import { MdmTables1764150000000 } from './database/mdm-tables.migration';
import { MdmLogEntries1764160000000 } from './database/mdm-log-entries.migration';
import { buildNameTables, defaultModel, type MatchModel } from './matching/domain';
import { mdmConfigSchema } from './mdm.config';
import { loadMdmPolicy, type MdmPolicy, PolicyFileError } from './policy/mdm-policy';
import { ResolutionService } from './resolution/resolution.service';
import { inlineMasterWriter, MasterWriterThread } from './resolution/master-writer';

process.env.SERVICE_NAME ??= 'mdm';
process.env.HTTP_PORT ??= '3002';

// Nickname and name-variant equivalences (ONS-derived tables shipped with the synthetic library).
const names = buildNameTables(loadTables().names);

void runService({
  configSchema: mdmConfigSchema,
  migrations: [MdmTables1764150000000, MdmLogEntries1764160000000, OutboxParkedTable1764150000000],
  // A change queues its log entries, master rows and outbox rows on its transaction's connection
  // while it resolves the next chunk (immediateQueries): pipelined, PostgreSQL runs them back to
  // back instead of taking the next one only when this busy process next reads an answer.
  database: { pipeline: true },
  topics: ALL_TOPICS.filter((topic) => topic.name === 'hub.ingest.person-observed.v1' || topic.name === 'hub.mdm.master-persons.v1'),
  relay: 'thread',
  // Every partition's batch at once: the resolution service groups them into one transaction.
  // A fetch brings at most 256 KiB a partition (about 600 observations), not kafkajs's 1 MiB:
  // a transaction takes 2,000 at most, and what waits decoded for its turn lives long enough
  // to be promoted to V8's old generation, which the collector must then mark again. The
  // medium city drains as fast either way (2,444 against 2,411 observations/s).
  consumer: { partitionsConsumedConcurrently: 12, maxBytesPerPartition: 256 * 1024 },
  appModule: (runtime) => {
    // The model a new installation starts with: trained without labels on every feed of a
    // synthetic city (`linkage:eval … --save-model`, docs/mdm.md), or the file MDM_MODEL_FILE
    // names. Once the log holds a model, only an explicit promotion changes it.
    const modelFile = runtime.config.MDM_MODEL_FILE ?? join(__dirname, '..', 'config', 'match-model.json');
    const initialModel: MatchModel = existsSync(modelFile) ? (JSON.parse(readFileSync(modelFile, 'utf8')) as MatchModel) : defaultModel();
    const candidates = new Histogram({
      name: 'mdm_candidates_per_observation', help: 'Candidates the blocking offered a new observation (capped at the resolver\'s maxCandidates)',
      buckets: [0, 1, 2, 5, 10, 20, 50, 100], registers: [runtime.metrics.registry],
    });
    let policy: MdmPolicy;
    try {
      policy = loadMdmPolicy(runtime.config.MDM_POLICY_FILE);
    } catch (error) {
      if (!(error instanceof PolicyFileError)) throw error;
      runtime.logger.fatal({ error: error.message }, 'invalid MDM_POLICY_FILE');
      process.exit(78);
    }
    const rebuildSeconds = new Gauge({
      name: 'mdm_projection_rebuild_seconds', help: 'Seconds the last rebuild of the projection from the log took (at start, or after a failed transaction)',
      registers: [runtime.metrics.registry],
    });
    const rebuildEntries = new Gauge({ name: 'mdm_projection_rebuild_entries', help: 'Log entries the last rebuild of the projection replayed', registers: [runtime.metrics.registry] });
    // Golden records, master rows and events are built on a thread of their own while the main
    // thread resolves (master-writer.ts); from source (no built worker script), on the main thread.
    const writer = MasterWriterThread.available()
      ? new MasterWriterThread(policy.survivorship, undefined, (error) => runtime.logger.error({ error: String(error) }, 'the master writer thread cannot start: building master rows and events on the main thread'))
      : inlineMasterWriter(policy.survivorship);
    const resolution = new ResolutionService(runtime.dataSource!, runtime.logger, names, runtime.config.TOPIC_PREFIX, initialModel, policy, {
      candidates: (count) => candidates.observe(count),
      rebuilt: (entries, seconds) => {
        rebuildEntries.set(entries);
        rebuildSeconds.set(seconds);
      },
    }, writer);
    return {
      module: class MdmRoot {},
      imports: [AppModule.forResolution(resolution, { dataSource: runtime.dataSource!, logger: runtime.logger, serviceToken: runtime.config.MDM_SERVICE_TOKEN })],
      providers: [{ provide: 'mdm:start', useFactory: async () => resolution.start() }],
    };
  },
});
