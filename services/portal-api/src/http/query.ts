import { z } from 'zod';
import { PortalError } from './portal-error';

/**
 * Parses query parameters (or a body) with a zod schema; a failure is 400 PORTAL.INVALID_QUERY
 * naming the parameters and what is wrong, never echoing the values (they may be personal data).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code = 'PORTAL.INVALID_QUERY'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    parameter: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys?.join(',') ?? '(unknown)' : '(query)'),
    problem: issue.code === 'unrecognized_keys' ? 'not a known parameter' : issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message,
  }));
  throw new PortalError(code, 'the request parameters are not valid', 400, { problems });
}

/** For routes that take no query parameters: any given is refused rather than ignored. */
export const noParameters = z.object({}).strict();
