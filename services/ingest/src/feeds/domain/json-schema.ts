import { ADDRESS_FIELDS, INVOLVEMENT_FIELDS, PERSON_FIELDS, RELATIONSHIP_FIELDS } from './canonical-fields';
import type { FieldKind } from './canonical-fields';
import type { ExprObject, FeedConfig, RecordTemplate } from './feed-config';
import type { DateFormat } from '../../validation/domain';

const DATE_PATTERNS: Record<DateFormat, string> = {
  iso: '^\\d{4}-\\d{2}-\\d{2}(?:[T ].*)?$',
  'iso-datetime': '^\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?\\s*(?:Z|[+-]\\d{2}(?::?\\d{2})?)?)?$',
  dmy: '^\\d{1,2}/\\d{1,2}/\\d{4}$',
  'dmy-dash': '^\\d{1,2}-(?:[A-Za-z]{3,9}|\\d{1,2})-\\d{4}$',
  ymd: '^\\d{8}$',
  excel: '^\\d{1,7}(?:\\.\\d+)?$',
};
const DATE_KINDS: ReadonlySet<FieldKind> = new Set(['birthDate', 'eventDate', 'date']);

function catalogueOf(t: RecordTemplate): Record<string, FieldKind> {
  switch (t.type) {
    case 'person': return PERSON_FIELDS;
    case 'involvement': return INVOLVEMENT_FIELDS;
    case 'relationship': return RELATIONSHIP_FIELDS;
    case 'address': return ADDRESS_FIELDS;
    default: {
      const never: never = t;
      throw new Error(`unknown template ${String(never)}`);
    }
  }
}

/** Which source columns hold dates, and in what format: their schema gets a pattern. */
function dateColumns(config: FeedConfig): { row: Map<string, DateFormat>; nested: Map<string, DateFormat> } {
  const row = new Map<string, DateFormat>();
  const nested = new Map<string, DateFormat>();
  const visit = (e: ExprObject, scope: 'row' | 'nested') => {
    const declared = e.transform?.find((t): t is { date: DateFormat } => typeof t === 'object')?.date ?? config.dateFormat;
    if (e.column !== undefined) (scope === 'nested' ? nested : row).set(e.column, declared);
    else if (e.path !== undefined && !e.path.includes('.')) row.set(e.path, declared);
    e.first?.forEach((x) => visit(x, scope));
  };
  for (const t of config.records) {
    const catalogue = catalogueOf(t);
    for (const [name, e] of Object.entries(t.fields)) {
      const kind = catalogue[name];
      if (kind !== undefined && DATE_KINDS.has(kind)) visit(e as ExprObject, t.scope);
    }
  }
  return { row, nested };
}

function propertiesOf(columns: readonly string[], dates: Map<string, DateFormat>, maxLength: number, special: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const column of columns) {
    if (special[column] !== undefined) properties[column] = special[column];
    else if (dates.has(column)) {
      const format = dates.get(column) as DateFormat;
      properties[column] = { type: ['string', 'number', 'null'], pattern: DATE_PATTERNS[format], description: `a date, format ${format}` };
    } else properties[column] = { type: ['string', 'number', 'boolean', 'null'], maxLength };
  }
  return properties;
}

/** The JSON Schema (draft 2020-12) of one record a partner pushes to the feed: the source's own field names, as in its files. */
export function buildFeedJsonSchema(config: FeedConfig): Record<string, unknown> {
  const dates = dateColumns(config);
  const special: Record<string, Record<string, unknown>> = {};
  const keyTop = config.keyColumn.split('.')[0];
  if (!config.keyColumn.includes('.')) special[keyTop] = { type: ['string', 'integer'], minLength: 1, maxLength: Math.max(config.maxFieldLength, 200), description: 'the source record key' };
  if (config.actionColumn !== null) {
    const a = config.actionColumn;
    special[a.column] = { enum: [...a.insert, ...a.update, ...a.delete], description: `insert: ${a.insert.join(', ')}; update: ${a.update.join(', ') || '-'}; delete: ${a.delete.join(', ') || '-'}` };
  }
  if (config.nested !== null) {
    special[config.nested.field] = {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: propertiesOf(config.nested.columns, dates.nested, config.maxFieldLength, {}),
        additionalProperties: false,
      },
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:hub:ingest:feed:${config.name}`,
    title: `${config.name}: one record`,
    description: config.description ?? `${config.partner}: ${config.name}`,
    type: 'object',
    properties: propertiesOf(config.columns, dates.row, config.maxFieldLength, special),
    required: [keyTop],
    additionalProperties: false,
  };
}
