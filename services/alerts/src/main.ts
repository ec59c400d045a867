import { runService } from '@hub/platform';
import { AppModule } from './app.module';

process.env.SERVICE_NAME ??= 'alerts';
process.env.HTTP_PORT ??= '3005';

void runService({ appModule: () => AppModule });
