import { applyDecorators, type CanActivate, SetMetadata, type Type, UseGuards } from '@nestjs/common';

/** Marks a route that needs no authentication (health and metrics only). */
export const IS_PUBLIC = 'hub:public';
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Protects a controller or route with the service's own authentication guards. The global
 * closed-by-default guard runs before them, so it lets through routes that declare their
 * authentication this way and refuses every route that declares none.
 */
export const IS_AUTHENTICATED = 'hub:authenticated';
export const AuthenticatedBy = (...guards: Type<CanActivate>[]) => applyDecorators(SetMetadata(IS_AUTHENTICATED, true), UseGuards(...guards));
