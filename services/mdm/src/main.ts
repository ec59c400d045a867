import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@hub/contracts';
import { runService } from '@hub/platform';
import { loadTables } from '@hub/synthetic';
import { AppModule } from './app.module';
import { MdmTables1764150000000 } from './database/mdm-tables.migration';
import { buildNameTables, defaultModel, type MatchModel } from './matching/domain';
import { ResolutionService } from './resolution/resolution.service';

process.env.SERVICE_NAME ??= 'mdm';
process.env.HTTP_PORT ??= '3002';

// Nickname and name-variant equivalences (ONS-derived tables shipped with the synthetic library).
const names = buildNameTables(loadTables().names);

// The model trained without labels on the synthetic city (matching/offline/train-shipped-model.ts);
// MDM_MODEL_FILE names another, and a model promoted in the database wins over both.
const modelFile = process.env.MDM_MODEL_FILE ?? join(__dirname, '..', 'config', 'match-model.json');
const shippedModel: MatchModel = existsSync(modelFile) ? (JSON.parse(readFileSync(modelFile, 'utf8')) as MatchModel) : defaultModel();

void runService({
  migrations: [MdmTables1764150000000],
  topics: ALL_TOPICS.filter((topic) => topic.name === 'hub.ingest.person-observed.v1' || topic.name === 'hub.mdm.master-persons.v1'),
  relay: true,
  appModule: (runtime) => {
    const resolution = new ResolutionService(runtime.dataSource!, runtime.logger, names, runtime.config.TOPIC_PREFIX, shippedModel);
    return { module: class MdmRoot {}, imports: [AppModule.forResolution(resolution)], providers: [{ provide: 'mdm:start', useFactory: async () => resolution.start() }] };
  },
});
