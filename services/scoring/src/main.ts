import { runService } from '@hub/platform';
import { AppModule } from './app.module';

process.env.SERVICE_NAME ??= 'scoring';
process.env.HTTP_PORT ??= '3004';

void runService({ appModule: () => AppModule });
