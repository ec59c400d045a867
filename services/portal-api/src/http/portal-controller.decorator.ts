import { applyDecorators, Controller } from '@nestjs/common';
import { AuthenticatedBy } from '@hub/platform';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';

/** A portal controller: its routes under `path`, every one behind bearer authentication, grouped under `tag` in the OpenAPI document. */
export const PortalController = (tag: string, path: string) => applyDecorators(ApiTags(tag), ApiBearerAuth('bearer'), Controller(path), AuthenticatedBy(BearerAuthGuard));
