import { runService } from '@hub/platform';
import { AppModule } from './app.module';

process.env.SERVICE_NAME ??= 'mdm';
process.env.HTTP_PORT ??= '3002';

void runService({ appModule: () => AppModule });
