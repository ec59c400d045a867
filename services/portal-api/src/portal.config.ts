import { serviceConfigSchema } from '@hub/platform';
import { z } from 'zod';

export const PORTAL_CONFIG = Symbol('portal-api:config');

const httpUrl = z.string().refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be a URL starting with http:// or https://');

export const portalConfigSchema = serviceConfigSchema.extend({
  /** HS256 key the identity provider signs callers' bearer tokens with; never in the repository. */
  PORTAL_JWT_SECRET: z.string().min(32, 'at least 32 characters'),
  /** When set, a token must carry this issuer (`iss`). */
  PORTAL_JWT_ISSUER: z.string().min(1).optional(),
  /** When set, a token must carry this audience (`aud`). */
  PORTAL_JWT_AUDIENCE: z.string().min(1).optional(),
  /** mdm's internal API (explanations, review queue, reports). */
  MDM_URL: httpUrl.default('http://127.0.0.1:3002'),
  /** Bearer token mdm accepts from portal-api; the same value is given to mdm. */
  MDM_SERVICE_TOKEN: z.string().min(32, 'at least 32 characters'),
  MDM_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** How long a cached person may live in Redis; bounds staleness if an invalidation was lost while Redis was away. */
  PORTAL_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Largest page a search or listing returns. */
  PORTAL_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
});
export type PortalConfig = z.infer<typeof portalConfigSchema>;
