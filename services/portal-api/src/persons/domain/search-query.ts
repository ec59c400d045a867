import { z } from 'zod';
import { identifierTerm, normaliseName, normalisePostcode } from './search-terms';

const IDENTIFIER_SCHEMES = ['NHS', 'UPN', 'NI', 'PNC', 'LOCAL', 'OTHER'] as const;

function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A page of a listing: `limit` capped by the service's setting. */
export const pageSchema = (maxLimit: number) => ({
  limit: z.coerce.number().int().min(1).max(maxLimit).default(Math.min(20, maxLimit)),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** GET /v1/persons: at least one criterion; every parameter checked; unknown ones refused. */
export const searchQuerySchema = (maxLimit: number) =>
  z
    .object({
      name: z.string().trim().min(2).max(100).refine((value) => normaliseName(value).replace(/ /g, '').length >= 2, 'must contain at least two letters').optional(),
      dob: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine(isCalendarDate, 'must be a real calendar date').optional(),
      postcode: z.string().trim().max(10).regex(/^[A-Za-z0-9 ]{2,10}$/, 'letters, digits and spaces').optional(),
      identifier: z
        .string()
        .max(80)
        .regex(new RegExp(`^(${IDENTIFIER_SCHEMES.join('|')}):[A-Za-z0-9 ._/-]{1,64}$`), `must be SCHEME:value with SCHEME one of ${IDENTIFIER_SCHEMES.join(', ')}`)
        .optional(),
      ...pageSchema(maxLimit),
    })
    .strict()
    .refine((q) => q.name !== undefined || q.dob !== undefined || q.postcode !== undefined || q.identifier !== undefined, {
      message: 'give at least one of name, dob, postcode, identifier',
    });
export type SearchQuery = z.infer<ReturnType<typeof searchQuerySchema>>;

/** Which criteria a search used, without their values: what may be logged. */
export function searchShape(query: SearchQuery): string {
  return (['name', 'dob', 'postcode', 'identifier'] as const).filter((key) => query[key] !== undefined).join('+');
}

/** The search as SQL over `person`: exact criteria filter, the name ranks by trigram word similarity. */
export function buildSearch(query: SearchQuery): { sql: string; params: unknown[] } {
  const where = [`status = 'active'`];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  let rank = '1.0';
  if (query.name !== undefined) {
    const name = param(normaliseName(query.name));
    // `<%` uses the trigram index and pg_trgm.word_similarity_threshold (set by the caller)
    where.push(`${name} <% search_name_text`);
    rank = `word_similarity(${name}, search_name_text)`;
  }
  if (query.dob !== undefined) where.push(`dob = ${param(query.dob)}::date`);
  if (query.postcode !== undefined) where.push(`postcodes @> ARRAY[${param(normalisePostcode(query.postcode))}]::text[]`);
  if (query.identifier !== undefined) {
    const colon = query.identifier.indexOf(':');
    where.push(`identifiers @> ARRAY[${param(identifierTerm(query.identifier.slice(0, colon), query.identifier.slice(colon + 1)))}]::text[]`);
  }
  const sql = `SELECT id, version, golden, source_records, aliases, ${rank} AS score, count(*) OVER () AS total
    FROM person WHERE ${where.join(' AND ')}
    ORDER BY score DESC, id
    LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`;
  return { sql, params };
}
