import { serviceConfigSchema } from '@hub/platform';
import { z } from 'zod';

export const INGEST_CONFIG = Symbol('ingest:config');

export const ingestConfigSchema = serviceConfigSchema.extend({
  /** Server-side secret for API-key digests; never in the repository. */
  INGEST_API_KEY_SECRET: z.string().min(32, 'at least 32 characters'),
  INGEST_JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  INGEST_JWT_ISSUER: z.string().default('hub'),
  INGEST_FEEDS_DIR: z.string().optional(),
  INGEST_MAX_BODY_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  INGEST_MAX_RECORDS_PER_REQUEST: z.coerce.number().int().positive().default(5000),
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** A folder with one sub-folder per feed; files dropped there are loaded. Off when unset. */
  INGEST_DROP_DIR: z.string().optional(),
  INGEST_DROP_POLL_MS: z.coerce.number().int().positive().default(2000),
  /** Run scheduled database pulls in this process. */
  INGEST_PULL_ENABLED: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
});
export type IngestConfig = z.infer<typeof ingestConfigSchema>;
