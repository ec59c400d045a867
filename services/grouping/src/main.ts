import { runService } from '@hub/platform';
import { AppModule } from './app.module';

process.env.SERVICE_NAME ??= 'grouping';
process.env.HTTP_PORT ??= '3003';

void runService({ appModule: () => AppModule });
