import type { Sensitivity } from '@hub/contracts';
import { cleanText, isCalendarDate, parseEpochMillis, REASON } from '../../validation/domain';
import type { DateFormat } from '../../validation/domain';
import { compileColumn, compileCondition, compilePath, Evaluate } from './expressions';
import type { CsvOptions, FeedConfig, NestedPersons, RecordTemplate } from './feed-config';
import { FeedConfigError } from './feed-config-error';
import { FieldCompiler } from './field-readers';
import { buildFeedJsonSchema } from './json-schema';
import type { CanonicalRecord, FeedGovernance, MappedRow } from './mapped-row';
import { compileAddressRecord, compileInvolvement, compilePerson, compileRef, compileRelationship, RecordBuilder } from './record-builders';
import { RowContext } from './row-context';

export interface CompileOptions {
  /** 'YYYY-MM-DD': the day against which future dates are judged (time is passed in, never read). */
  today: string;
}

export interface MapRowOptions {
  /** Overrides the compile-time `today` for this row (a long-running process after midnight). */
  today?: string;
}

/** A feed's configuration compiled into closures: mapRow does no parsing of configuration per row. */
export interface CompiledFeed {
  readonly name: string;
  readonly partner: string;
  readonly description: string | null;
  readonly sourceSystem: string;
  readonly kind: 'snapshot' | 'delta';
  readonly format: 'csv' | 'jsonl';
  readonly encoding: 'utf-8' | 'windows-1252';
  /** CSV reading options; null for JSON Lines. */
  readonly csv: CsvOptions | null;
  /** The header a delivery must have (CSV); null for JSON Lines. */
  readonly expectedColumns: string[] | null;
  readonly keyColumn: string;
  readonly rejectThreshold: number;
  readonly governance: FeedGovernance;
  readonly agreement: { id: string; validFrom: string; validTo: string | null };
  /** Every record type the feed can yield, in configuration order. */
  readonly recordTypes: string[];
  readonly hasSourceVersion: boolean;
  readonly config: FeedConfig;
  mapRow(row: Record<string, unknown>, options?: MapRowOptions): MappedRow;
  /** JSON Schema (draft 2020-12) of a record pushed to this feed over the API: the source's field names. */
  jsonSchema(): Record<string, unknown>;
}

interface CompiledTemplate {
  scope: 'row' | 'nested';
  when: ((ctx: RowContext) => boolean) | null;
  id: Evaluate | null;
  build: RecordBuilder;
  /** Relationship templates in nested scope: which nested person the others relate to. */
  anchor: ((ctx: RowContext) => boolean) | null;
  type: RecordTemplate['type'];
}

/** The person a record of this scope points at: the id the scope's (first) person template gives its record. */
function defaultPersonRef(fc: FieldCompiler, config: FeedConfig, scope: 'row' | 'nested'): Evaluate {
  const person = config.records.find((t) => t.type === 'person' && t.scope === scope);
  if (person !== undefined && person.id !== null) return compileRef(fc, person.id, scope, 'person');
  return scope === 'nested' ? (ctx) => ctx.itemKey : (ctx) => ctx.rowKey;
}

function compileTemplate(fc: FieldCompiler, config: FeedConfig, t: RecordTemplate): CompiledTemplate {
  const scope = t.scope;
  const base = {
    scope,
    type: t.type,
    when: t.when === null ? null : compileCondition(t.when, scope),
    id: t.id === null ? null : compileRef(fc, t.id, scope, 'sourceRecordId'),
    anchor: null as ((ctx: RowContext) => boolean) | null,
  };
  switch (t.type) {
    case 'person':
      return { ...base, build: compilePerson(fc, t) };
    case 'involvement': {
      const personRef = t.person === null ? defaultPersonRef(fc, config, scope) : compileRef(fc, t.person, scope, 'involvement.person');
      return { ...base, build: compileInvolvement(fc, t, personRef, config.sourceSystem) };
    }
    case 'relationship': {
      const from = t.fields.from !== undefined ? compileRef(fc, t.fields.from, scope, 'relationship.from') : (ctx: RowContext) => ctx.itemKey;
      const anchor = t.anchor === null ? null : compileCondition(t.anchor, scope);
      const to = t.fields.to !== undefined ? compileRef(fc, t.fields.to, scope, 'relationship.to') : anchorKey(anchor);
      return { ...base, anchor, build: compileRelationship(fc, t, from, to, config.sourceSystem) };
    }
    case 'address': {
      const personRef = t.person === null ? defaultPersonRef(fc, config, scope) : compileRef(fc, t.person, scope, 'address.person');
      return { ...base, build: compileAddressRecord(fc, t, personRef) };
    }
    default: {
      const never: never = t;
      throw new Error(`unknown record template ${String(never)}`);
    }
  }
}

/** The key of the first nested person the anchor condition selects (looked at with the item swapped in). */
function anchorKey(anchor: ((ctx: RowContext) => boolean) | null): Evaluate {
  if (anchor === null) return () => null;
  return (ctx) => {
    const item = ctx.item;
    const itemKey = ctx.itemKey;
    let found: string | null = null;
    for (let i = 0; i < ctx.items.length && found === null; i++) {
      ctx.item = ctx.items[i];
      ctx.itemKey = ctx.itemKeys[i];
      if (anchor(ctx)) found = ctx.itemKeys[i];
    }
    ctx.item = item;
    ctx.itemKey = itemKey;
    return found;
  };
}

function compileNested(nested: NestedPersons | null): ((ctx: RowContext) => void) | null {
  if (nested === null) return null;
  const { field, key } = nested;
  const readKey = compileColumn(key, 'nested');
  return (ctx) => {
    const list = ctx.row[field];
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      ctx.flags.push({ code: REASON.INVALID_VALUE, field, message: `${field} is not a list of persons` });
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        ctx.flags.push({ code: REASON.INVALID_VALUE, field, message: `${field}[${i}] is not a person object` });
        continue;
      }
      ctx.item = item as Record<string, unknown>;
      const own = readKey(ctx);
      ctx.items.push(ctx.item);
      ctx.itemKeys.push(own === null ? `${ctx.rowKey}/${i + 1}` : own);
    }
    ctx.item = null;
  };
}

/**
 * Compiles a validated configuration. Problems only visible once everything is put together
 * (an invalid `today`) throw a FeedConfigError; per-row problems never throw: they come back
 * in the MappedRow.
 */
export function compileFeed(config: FeedConfig, options: CompileOptions): CompiledFeed {
  if (!isCalendarDate(options.today)) {
    throw new FeedConfigError([{ file: null, feed: config.name, path: '(compile options).today', message: 'today must be a calendar date YYYY-MM-DD' }]);
  }
  const fc = new FieldCompiler(config);
  const templates = config.records.map((t) => compileTemplate(fc, config, t));
  const rowTemplates = templates.filter((t) => t.scope === 'row');
  const nestedTemplates = templates.filter((t) => t.scope === 'nested');
  const collectNested = compileNested(config.nested);
  const readKey = compilePath(config.keyColumn);
  const readVersion = config.versionColumn === null ? null : compilePath(config.versionColumn);
  const occurredFormat: DateFormat = config.occurredAt?.format ?? config.dateFormat;
  const readOccurred = config.occurredAt === null ? null : compilePath(config.occurredAt.column);
  const action = config.actionColumn;
  const readAction = action === null ? null : compilePath(action.column);
  const deletes = new Set(action?.delete ?? []);
  const keeps = new Set([...(action?.insert ?? []), ...(action?.update ?? [])]);
  const maxKeyLength = Math.max(config.maxFieldLength, 200);
  const defaultToday = options.today;
  const schema = buildFeedJsonSchema(config);

  function mapRow(row: Record<string, unknown>, mapOptions?: MapRowOptions): MappedRow {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      return { outcome: 'rejected', sourceRecordId: null, reasons: [{ code: REASON.NOT_AN_OBJECT, field: '(record)', message: 'a record is an object of fields' }] };
    }
    const today = mapOptions?.today ?? defaultToday;
    const probe = new RowContext(row, '', today);
    const rawKey = readKey(probe);
    const key = rawKey === null ? null : cleanText(rawKey);
    if (key === null || key.length === 0) {
      return { outcome: 'rejected', sourceRecordId: null, reasons: [{ code: REASON.MISSING_KEY, field: config.keyColumn, message: 'the record has no key' }, ...probe.flags] };
    }
    if (key.length > maxKeyLength) {
      return { outcome: 'rejected', sourceRecordId: null, reasons: [{ code: REASON.FIELD_TOO_LONG, field: config.keyColumn, message: `a key has at most ${maxKeyLength} characters` }] };
    }
    const ctx = new RowContext(row, key, today);
    const occurredRaw = readOccurred === null ? null : readOccurred(ctx);
    const occurredAt = occurredRaw === null ? null : parseEpochMillis(occurredRaw, occurredFormat);
    if (readAction !== null) {
      const code = readAction(ctx);
      if (code !== null && deletes.has(code)) return { outcome: 'withdrawn', sourceRecordId: key, occurredAt };
      if (code === null || !keeps.has(code)) {
        return { outcome: 'rejected', sourceRecordId: key, reasons: [{ code: REASON.UNKNOWN_ACTION, field: (action as NonNullable<typeof action>).column, message: code === null ? 'the record has no action code' : 'the action code is not one the feed declares' }] };
      }
    }
    const records: CanonicalRecord[] = [];
    for (const t of rowTemplates) {
      if (t.when !== null && !t.when(ctx)) continue;
      const id = t.id === null ? key : t.id(ctx);
      if (id === null) continue;
      const record = t.build(ctx, id);
      if (record !== null) records.push(record);
    }
    if (collectNested !== null && nestedTemplates.length > 0) {
      collectNested(ctx);
      for (const t of nestedTemplates) {
        for (let i = 0; i < ctx.items.length; i++) {
          ctx.item = ctx.items[i];
          ctx.itemKey = ctx.itemKeys[i];
          ctx.label = `person ${ctx.itemKey}: `;
          if (t.when !== null && !t.when(ctx)) continue;
          const id = t.id === null ? ctx.itemKey : t.id(ctx);
          if (id === null) continue;
          const record = t.build(ctx, id);
          if (record !== null) records.push(record);
        }
      }
      ctx.item = null;
      ctx.itemKey = null;
      ctx.label = '';
    }
    if (ctx.rejects.length > 0) return { outcome: 'rejected', sourceRecordId: key, reasons: ctx.rejects };
    return {
      outcome: 'accepted',
      sourceRecordId: key,
      sourceVersion: readVersion === null ? null : readVersion(ctx),
      occurredAt,
      records,
      flags: ctx.flags,
    };
  }

  const governance: FeedGovernance = {
    dataSharingAgreement: config.agreement.id,
    lawfulBasis: config.agreement.lawfulBasis,
    sensitivity: config.agreement.sensitivity as Sensitivity,
  };
  return {
    name: config.name,
    partner: config.partner,
    description: config.description,
    sourceSystem: config.sourceSystem,
    kind: config.kind,
    format: config.format,
    encoding: config.encoding,
    csv: config.format === 'csv' ? { ...config.csv } : null,
    expectedColumns: config.format === 'csv' ? [...config.columns] : null,
    keyColumn: config.keyColumn,
    rejectThreshold: config.rejectThreshold,
    governance,
    agreement: { id: config.agreement.id, validFrom: config.agreement.validFrom, validTo: config.agreement.validTo },
    recordTypes: [...new Set(config.records.map((t) => t.recordType))],
    hasSourceVersion: config.versionColumn !== null,
    config,
    mapRow,
    jsonSchema: () => structuredClone(schema),
  };
}
