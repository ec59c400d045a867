import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * A scheduled pull from a partner database: a query with an incremental watermark (rows
 * changed since the last run) and, optionally, a query listing every id the partner still
 * holds, from which deletions are noticed. The connection URL is read from an environment
 * variable named in the file, so no credential is ever in the repository.
 */
export const pullConfigSchema = z.object({
  feed: z.string().min(1),
  driver: z.enum(['postgres', 'mysql']),
  urlEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name'),
  /** Uses :watermark where the last watermark goes, e.g. `WHERE updated_at > :watermark ORDER BY updated_at`. */
  query: z.string().includes(':watermark', { message: 'must use :watermark' }),
  watermarkColumn: z.string().min(1),
  initialWatermark: z.string().default('1970-01-01 00:00:00'),
  /** All ids the partner holds now, e.g. `SELECT case_id FROM cases`; omitted: deletions are not noticed. */
  idsQuery: z.string().optional(),
  idColumn: z.string().min(1),
  everySeconds: z.number().int().min(5).default(300),
  batchSize: z.number().int().min(1).max(10000).default(1000),
});
export type PullConfig = z.infer<typeof pullConfigSchema>;

export const defaultPullsDir = join(__dirname, '..', '..', 'config', 'pulls');

export function loadPullConfigs(dir = defaultPullsDir): PullConfig[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort().map((file) => {
    const result = pullConfigSchema.safeParse(parse(readFileSync(join(dir, file), 'utf8')));
    if (!result.success) {
      throw new Error(`${file}: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    return result.data;
  });
}
