import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_DOCUMENT = Symbol('portal-api:openapi');

/** Built once at start from the controllers' decorators and served (to authenticated callers) at /v1/openapi.json. */
export function buildOpenApi(app: NestFastifyApplication, holder: { document?: object }): void {
  const config = new DocumentBuilder()
    .setTitle('Integrated Data Hub: portal API')
    .setDescription(
      'Master persons for authenticated callers: golden record with provenance, source records and aliases; search; match explanations; the review queue; reports. ' +
        'Every read of personal data is written to the audit log before it is answered. Errors are `{code, message}` with a stable code.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  holder.document = SwaggerModule.createDocument(app, config);
}
