import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_DOCUMENT = Symbol('ingest:openapi');

/** Built once at start from the controllers' decorators and served (to authenticated callers) at /v1/openapi.json. */
export function buildOpenApi(app: NestFastifyApplication, holder: { document?: object }): void {
  const config = new DocumentBuilder()
    .setTitle('Integrated Data Hub: partner ingest API')
    .setDescription('Partner systems push records to their feeds. Every record is validated and published as Avro events; rejected records are kept with their reasons and can be replayed.')
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  holder.document = SwaggerModule.createDocument(app, config);
}
