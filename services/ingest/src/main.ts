import { runService } from '@hub/platform';
import { AppModule } from './app.module';

process.env.SERVICE_NAME ??= 'ingest';
process.env.HTTP_PORT ??= '3001';

void runService({ appModule: () => AppModule });
