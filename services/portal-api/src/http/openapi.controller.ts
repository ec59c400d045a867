import { Get, Inject } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { OPENAPI_DOCUMENT } from './openapi';
import { PortalController } from './portal-controller.decorator';

@PortalController('meta', 'v1')
export class OpenApiController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly openApi: { document?: object }) {}

  @Get('openapi.json')
  @ApiOperation({ summary: 'This API, in OpenAPI 3' })
  openapi() {
    return this.openApi.document;
  }
}
