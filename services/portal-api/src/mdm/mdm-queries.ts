import { z } from 'zod';
import { pageSchema } from '../persons/domain/search-query';

/** `<sourceSystem>/<sourceRecordId>`: the id part may hold further slashes, but no spaces or controls. */
export const recordKeySchema = z.string().max(300).regex(/^[A-Za-z0-9._-]{1,100}\/[\x21-\x7e]{1,200}$/, 'must be <sourceSystem>/<sourceRecordId>');

export const pairQuerySchema = z.object({ a: recordKeySchema, b: recordKeySchema }).strict().refine((q) => q.a !== q.b, { message: 'a and b must be different records' });

export const reviewQuerySchema = (maxLimit: number) => z.object(pageSchema(maxLimit)).strict();

export const decisionSchema = z
  .object({ a: recordKeySchema, b: recordKeySchema, decision: z.enum(['must-link', 'cannot-link']), note: z.string().max(1000).optional() })
  .strict()
  .refine((d) => d.a !== d.b, { message: 'a and b must be different records' });

/** Master ids an mdm answer mentions, for the audit log's subjects (mdm answers are not trusted to be well formed). */
export function masterIdsIn(value: unknown, keys: readonly string[] = ['masterId', 'survivorId']): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, depth: number) => {
    if (depth > 6 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item) => visit(item, depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (keys.includes(key) && typeof child === 'string') found.add(child);
      else visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return [...found];
}
