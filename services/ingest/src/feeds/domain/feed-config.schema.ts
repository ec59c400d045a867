import { z } from 'zod';
import { IdentifierSchemeValues, InvolvementKindValues, SensitivityValues } from '@hub/contracts';
import { DATE_FORMATS, isCalendarDate } from '../../validation/domain';
import { ADDRESS_FIELDS, INVOLVEMENT_DETAIL_KIND, INVOLVEMENT_FIELDS, PERSON_FIELDS, RELATIONSHIP_FIELDS } from './canonical-fields';
import type { Condition, ExprObject, FeedConfig, RecordTemplate } from './feed-config';

/**
 * The zod schema of a feed configuration. Shapes are checked first (strict objects, so a
 * misspelt key is an error, not silently ignored), then the cross-references: every column an
 * expression reads is a declared column, detail fields match the involvement kind, and so on.
 */

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const dateFormat = z.enum(DATE_FORMATS as [string, ...string[]]);
const calendarDate = z
  .union([z.string(), z.date()])
  .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)))
  .refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');

const transform = z.union([
  z.enum(['trim', 'upper', 'lower', 'properCase', 'digitsOnly', 'removeSpaces', 'academicYearFromTerm', 'termFromTermName']),
  z.strictObject({ date: dateFormat }),
]);

const EXPR_SOURCES = ['column', 'path', 'const', 'concat', 'first', 'difference'] as const;

const exprObjectShape = {
  column: nonEmpty.optional(),
  path: nonEmpty.optional(),
  const: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  concat: z.array(z.lazy((): z.ZodType => expr)).min(1).optional(),
  separator: z.string().optional(),
  first: z.array(z.lazy((): z.ZodType => expr)).min(1).optional(),
  difference: z.tuple([z.lazy((): z.ZodType => expr), z.lazy((): z.ZodType => expr)]).optional(),
  transform: z.array(transform).optional(),
  lookup: z.record(z.string(), z.union([z.string(), z.null()])).optional(),
  strictLookup: z.boolean().optional(),
  default: z.string().optional(),
};

function exactlyOneSource(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const present = EXPR_SOURCES.filter((k) => value[k] !== undefined);
  if (present.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `an expression needs exactly one of ${EXPR_SOURCES.join(', ')} (found ${present.length === 0 ? 'none' : present.join(', ')})` });
  }
}

/** A column name alone is short for {column: name}. */
const expr: z.ZodType<ExprObject> = z.preprocess(
  (v) => (typeof v === 'string' ? { column: v } : v),
  z.strictObject(exprObjectShape).superRefine(exactlyOneSource),
) as unknown as z.ZodType<ExprObject>;

const identifierExpr = z.preprocess(
  (v) => v,
  z
    .strictObject({ ...exprObjectShape, scheme: z.enum(IdentifierSchemeValues as [string, ...string[]]), issuer: nonEmpty.optional() })
    .superRefine((v, ctx) => {
      exactlyOneSource(v, ctx);
      if ((v.scheme === 'LOCAL' || v.scheme === 'OTHER') && v.issuer === undefined) {
        ctx.addIssue({ code: 'custom', path: ['issuer'], message: `a ${v.scheme} identifier needs an issuer (e.g. "febrl.soc_sec_id")` });
      }
    }),
);

const condition = z
  .strictObject({
    column: nonEmpty.optional(),
    path: nonEmpty.optional(),
    in: z.array(z.string()).optional(),
    notIn: z.array(z.string()).optional(),
    present: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.column === undefined) === (v.path === undefined)) ctx.addIssue({ code: 'custom', message: 'a condition reads exactly one of column, path' });
    if (v.in === undefined && v.notIn === undefined && v.present === undefined) ctx.addIssue({ code: 'custom', message: 'a condition needs in, notIn or present' });
  });

function fieldsOf(catalogue: Record<string, string>): Record<string, z.ZodType> {
  return Object.fromEntries(Object.keys(catalogue).map((k) => [k, expr.optional()]));
}

const templateBase = {
  recordType: nonEmpty.regex(/^[a-z][a-z0-9-]*$/, 'a record type is lower-case kebab-case, e.g. "offender"'),
  scope: z.enum(['row', 'nested']).default('row'),
  when: condition.nullable().default(null),
  id: expr.nullable().default(null),
};

const personTemplate = z.strictObject({
  ...templateBase,
  type: z.literal('person'),
  fullNameOrder: z.enum(['auto', 'given-first', 'family-first']).default('auto'),
  fields: z.strictObject({
    ...fieldsOf(PERSON_FIELDS),
    identifiers: z.array(identifierExpr).optional(),
    emails: z.array(expr).optional(),
    phones: z.array(expr).optional(),
  }),
});

const attributes = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an attribute name is a word, e.g. maracRef'), expr).optional();

const involvementTemplate = z.strictObject({
  ...templateBase,
  type: z.literal('involvement'),
  kind: z.enum(InvolvementKindValues as [string, ...string[]]),
  person: expr.nullable().default(null),
  fields: z.strictObject({ ...fieldsOf(INVOLVEMENT_FIELDS), attributes }),
});

const relationshipTemplate = z.strictObject({
  ...templateBase,
  type: z.literal('relationship'),
  anchor: condition.nullable().default(null),
  fields: z.strictObject({ ...fieldsOf(RELATIONSHIP_FIELDS), attributes }),
});

const addressTemplate = z.strictObject({
  ...templateBase,
  type: z.literal('address'),
  person: expr.nullable().default(null),
  fields: z.strictObject(fieldsOf(ADDRESS_FIELDS)),
});

const recordTemplate = z.discriminatedUnion('type', [personTemplate, involvementTemplate, relationshipTemplate, addressTemplate]);

const ruleAction = z.enum(['null-and-flag', 'reject', 'ignore', 'keep-and-flag']);
const rule = (defaultAction: 'null-and-flag' | 'reject' = 'null-and-flag') => z.strictObject({ action: ruleAction }).default({ action: defaultAction });

const rules = z
  .strictObject({
    nhsNumber: rule(),
    upn: rule(),
    niNumber: rule(),
    pncId: rule(),
    localId: rule(),
    postcode: z.strictObject({ action: ruleAction, format: z.enum(['uk', 'any']).default('uk') }).default({ action: 'null-and-flag', format: 'uk' }),
    uprn: rule(),
    dateOfBirth: z.strictObject({ action: ruleAction, earliest: calendarDate.default('1890-01-01') }).default({ action: 'null-and-flag', earliest: '1890-01-01' }),
    dates: rule(),
    names: rule(),
    sex: rule(),
    email: rule(),
    phone: rule(),
    values: rule(),
    codes: rule(),
    required: rule(),
    identity: rule('reject'),
    fieldLength: z.strictObject({ action: z.enum(['truncate', 'reject', 'null-and-flag']) }).default({ action: 'truncate' }),
  })
  .prefault({});

export const agreementSchema = z
  .strictObject({
    id: nonEmpty,
    lawfulBasis: nonEmpty,
    sensitivity: z.enum(SensitivityValues as [string, ...string[]]),
    validFrom: calendarDate,
    validTo: calendarDate.nullable().default(null),
  })
  .superRefine((a, ctx) => {
    if (a.validTo !== null && a.validTo < a.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo is before validFrom' });
  });

const feedShape = z.strictObject({
  name: nonEmpty.regex(/^[a-z0-9][a-z0-9-]*$/, 'a feed name is lower-case letters, digits and hyphens'),
  partner: nonEmpty,
  description: z.string().nullable().default(null),
  sourceSystem: nonEmpty.optional(),
  kind: z.enum(['snapshot', 'delta']),
  format: z.enum(['csv', 'jsonl']),
  encoding: z.enum(['utf-8', 'windows-1252']).default('utf-8'),
  csv: z
    .strictObject({
      delimiter: z.string().length(1, 'a delimiter is one character').default(','),
      quote: z.string().length(1, 'a quote is one character').default('"'),
      skipInitialSpace: z.boolean().default(false),
    })
    .default({ delimiter: ',', quote: '"', skipInitialSpace: false }),
  columns: z.array(nonEmpty).min(1),
  nested: z.strictObject({ field: nonEmpty, key: nonEmpty, columns: z.array(nonEmpty).min(1) }).nullable().default(null),
  keyColumn: nonEmpty,
  versionColumn: nonEmpty.nullable().default(null),
  occurredAt: z.strictObject({ column: nonEmpty, format: dateFormat.nullable().default(null) }).nullable().default(null),
  actionColumn: z
    .strictObject({ column: nonEmpty, insert: z.array(z.string()).min(1), update: z.array(z.string()).default([]), delete: z.array(z.string()).default([]) })
    .nullable()
    .default(null),
  dateFormat: dateFormat.default('iso'),
  agreement: agreementSchema,
  rejectThreshold: z.number().min(0).max(1).default(0.05),
  maxFieldLength: z.number().int().min(1).max(100_000).default(255),
  rules,
  records: z.array(recordTemplate).min(1, 'a feed yields at least one record type'),
});

type Issue = { path: PropertyKey[]; message: string };

/** Cross-reference checks that need the whole configuration. */
function crossCheck(config: FeedConfig): Issue[] {
  const issues: Issue[] = [];
  const columns = new Set(config.columns);
  const nestedColumns = new Set(config.nested?.columns ?? []);
  const topColumn = (p: string) => p.split('.')[0];
  const needColumn = (name: string, path: PropertyKey[]) => {
    if (!columns.has(topColumn(name))) issues.push({ path, message: `column "${name}" is not among the feed's columns` });
  };
  needColumn(config.keyColumn, ['keyColumn']);
  if (config.format === 'csv' && config.keyColumn.includes('.') && !columns.has(config.keyColumn)) issues.push({ path: ['keyColumn'], message: 'a CSV key is a column name' });
  if (config.versionColumn !== null) needColumn(config.versionColumn, ['versionColumn']);
  if (config.occurredAt !== null) needColumn(config.occurredAt.column, ['occurredAt', 'column']);
  if (config.actionColumn !== null) {
    needColumn(config.actionColumn.column, ['actionColumn', 'column']);
    const seen = new Map<string, string>();
    for (const list of ['insert', 'update', 'delete'] as const) {
      for (const code of config.actionColumn[list]) {
        const other = seen.get(code);
        if (other !== undefined) issues.push({ path: ['actionColumn', list], message: `action code "${code}" is both ${other} and ${list}` });
        seen.set(code, list);
      }
    }
  }
  if (config.kind === 'delta' && config.actionColumn === null && config.format === 'csv') {
    // Allowed: a delta feed may carry only inserts and updates. Nothing to check.
  }
  if (config.nested !== null) {
    if (config.format !== 'jsonl') issues.push({ path: ['nested'], message: 'nested persons exist only in JSON Lines feeds' });
    if (!columns.has(config.nested.field)) issues.push({ path: ['nested', 'field'], message: `"${config.nested.field}" is not among the feed's columns` });
    if (!nestedColumns.has(config.nested.key)) issues.push({ path: ['nested', 'key'], message: `"${config.nested.key}" is not among the nested columns` });
  }

  const checkExpr = (e: ExprObject | null | undefined, scope: 'row' | 'nested', path: PropertyKey[]) => {
    if (e === null || e === undefined) return;
    if (e.column !== undefined) {
      if (scope === 'nested') {
        if (!nestedColumns.has(e.column)) issues.push({ path: [...path, 'column'], message: `"${e.column}" is not among the nested person's columns (use path to read the record's own fields)` });
      } else if (!columns.has(e.column)) {
        issues.push({ path: [...path, 'column'], message: `column "${e.column}" is not among the feed's columns` });
      }
    }
    if (e.path !== undefined && !columns.has(topColumn(e.path))) issues.push({ path: [...path, 'path'], message: `"${e.path}" does not start with one of the feed's columns` });
    if (e.path !== undefined && config.format === 'csv' && e.path.includes('.')) issues.push({ path: [...path, 'path'], message: 'a CSV row has no nested fields' });
    e.concat?.forEach((c, i) => checkExpr(c as ExprObject, scope, [...path, 'concat', i]));
    e.first?.forEach((c, i) => checkExpr(c as ExprObject, scope, [...path, 'first', i]));
    e.difference?.forEach((c, i) => checkExpr(c as ExprObject, scope, [...path, 'difference', i]));
  };
  const checkCondition = (c: Condition | null, scope: 'row' | 'nested', path: PropertyKey[]) => {
    if (c === null) return;
    checkExpr({ column: c.column, path: c.path }, scope, path);
  };

  const seenTypes = new Map<string, number>();
  const personScopes = new Set(config.records.filter((t) => t.type === 'person').map((t) => t.scope));
  config.records.forEach((t: RecordTemplate, i) => {
    const at: PropertyKey[] = ['records', i];
    const identity = `${t.type}/${t.recordType}/${t.scope}`;
    const previous = seenTypes.get(identity);
    if (previous !== undefined) issues.push({ path: [...at, 'recordType'], message: `records[${previous}] already yields ${t.type} records of type "${t.recordType}" in ${t.scope} scope: their ids would collide` });
    seenTypes.set(identity, i);
    if (t.scope === 'nested' && config.nested === null) issues.push({ path: [...at, 'scope'], message: 'nested scope needs the feed\'s "nested" persons' });
    checkCondition(t.when, t.scope, [...at, 'when']);
    checkExpr(t.id, t.scope, [...at, 'id']);
    for (const [name, e] of Object.entries(t.fields)) {
      if (name === 'identifiers' || name === 'emails' || name === 'phones') {
        (e as ExprObject[] | undefined)?.forEach((x, j) => checkExpr(x, t.scope, [...at, 'fields', name, j]));
      } else if (name === 'attributes') {
        for (const [attr, x] of Object.entries((e ?? {}) as Record<string, ExprObject>)) checkExpr(x, t.scope, [...at, 'fields', 'attributes', attr]);
      } else {
        checkExpr(e as ExprObject, t.scope, [...at, 'fields', name]);
      }
    }
    if (t.type === 'involvement' || t.type === 'address') {
      checkExpr(t.person, t.scope, [...at, 'person']);
      if (t.person === null && !personScopes.has(t.scope)) issues.push({ path: [...at, 'person'], message: `no person record in ${t.scope} scope to point at: add a person template or a "person" expression` });
    }
    if (t.type === 'involvement') {
      for (const name of Object.keys(t.fields)) {
        const group = name.split('.')[0] as keyof typeof INVOLVEMENT_DETAIL_KIND;
        const kind = INVOLVEMENT_DETAIL_KIND[group];
        if (name.includes('.') && kind !== undefined && kind !== t.kind) issues.push({ path: [...at, 'fields', name], message: `${group}.* fields belong to kind ${kind}, not ${t.kind}` });
      }
    }
    if (t.type === 'relationship') {
      checkCondition(t.anchor, t.scope, [...at, 'anchor']);
      if (t.fields.kind === undefined) issues.push({ path: [...at, 'fields', 'kind'], message: 'a relationship needs a kind' });
      if (t.scope === 'row' && (t.fields.from === undefined || t.fields.to === undefined)) issues.push({ path: [...at, 'fields'], message: 'a row-scope relationship needs from and to' });
      if (t.scope === 'nested' && t.fields.to === undefined && t.anchor === null) issues.push({ path: [...at, 'anchor'], message: 'a nested relationship needs an anchor (or a "to" expression)' });
    }
  });
  return issues;
}

export const feedConfigSchema: z.ZodType<FeedConfig> = feedShape
  .transform((c) => ({ ...c, sourceSystem: c.sourceSystem ?? c.name }))
  .superRefine((c, ctx) => {
    for (const issue of crossCheck(c as unknown as FeedConfig)) ctx.addIssue({ code: 'custom', path: issue.path as (string | number)[], message: issue.message });
  }) as unknown as z.ZodType<FeedConfig>;

export const agreementsFileSchema = z.strictObject({
  agreements: z
    .array(
      z
        .strictObject({
          id: nonEmpty,
          partner: nonEmpty,
          title: z.string().nullable().default(null),
          lawfulBasis: nonEmpty,
          sensitivity: z.enum(SensitivityValues as [string, ...string[]]),
          validFrom: calendarDate,
          validTo: calendarDate.nullable().default(null),
        }),
    )
    .min(1),
});
