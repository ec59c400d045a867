import { SetMetadata } from '@nestjs/common';

/** Marks a route that needs no authentication (health and metrics only). */
export const IS_PUBLIC = 'hub:public';
export const Public = () => SetMetadata(IS_PUBLIC, true);
