import { runService } from '@hub/platform';
import { AppModule } from './app.module';

process.env.SERVICE_NAME ??= 'portal-api';
process.env.HTTP_PORT ??= '3000';

void runService({ appModule: () => AppModule });
