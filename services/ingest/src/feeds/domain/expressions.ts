import { parseCalendarDate, properCaseName, REASON } from '../../validation/domain';
import type { DateFormat } from '../../validation/domain';
import type { Condition, ExprObject, RuleAction, Transform } from './feed-config';
import type { RowContext } from './row-context';

/** A compiled expression: the text it yields for the current row (and nested person), or null. */
export type Evaluate = (ctx: RowContext) => string | null;

export interface CompiledExpr {
  evaluate: Evaluate;
  /** The date format a {date: …} transform declared, for date fields. */
  dateFormat: DateFormat | null;
}

const NON_DIGITS = /\D+/g;
const SPACES = /\s+/g;
const TERM_NAME = /^(autumn|spring|summer)\s+(\d{4})$/i;
const INTEGER = /^-?\d+$/;

/** Source values become trimmed text; empty means absent. Objects are not values a field can hold. */
function toText(value: unknown, ctx: RowContext, source: string): string | null {
  if (typeof value === 'string') {
    // Most values need no trimming; checking the ends is cheaper than always calling trim().
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(value.length - 1);
    const text = first <= 32 || last <= 32 || first === 0xfeff ? value.trim() : value;
    return text.length === 0 ? null : text;
  }
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  ctx.flags.push({ code: REASON.INVALID_VALUE, field: source, message: `${ctx.label}${source} holds ${Array.isArray(value) ? 'a list' : 'an object'} where a value was expected` });
  return null;
}

function readPath(root: Record<string, unknown>, segments: readonly string[]): unknown {
  let value: unknown = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** A column of the row (row scope) or of the nested person (nested scope). */
export function compileColumn(column: string, scope: 'row' | 'nested'): Evaluate {
  if (scope === 'nested') return (ctx) => toText(ctx.item === null ? undefined : ctx.item[column], ctx, column);
  return (ctx) => toText(ctx.row[column], ctx, column);
}

/** A dotted path from the record's root; a plain column name is a one-segment path. */
export function compilePath(path: string): Evaluate {
  const segments = path.split('.');
  if (segments.length === 1) return (ctx) => toText(ctx.row[path], ctx, path);
  return (ctx) => toText(readPath(ctx.row, segments), ctx, path);
}

function academicYear(term: string): string | null {
  const m = TERM_NAME.exec(term);
  if (!m) return null;
  const year = +m[2];
  const start = m[1].toLowerCase() === 'autumn' ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

function compileTransform(t: Transform): (value: string) => string | null {
  if (typeof t === 'object') {
    const format = t.date;
    // Outside date fields a {date} transform turns the value into YYYY-MM-DD when it can.
    return (v) => {
      const parsed = parseCalendarDate(v, format);
      return parsed.ok ? parsed.value : v;
    };
  }
  switch (t) {
    case 'trim': return (v) => v.trim();
    case 'upper': return (v) => v.toUpperCase();
    case 'lower': return (v) => v.toLowerCase();
    case 'properCase': return properCaseName;
    case 'digitsOnly': return (v) => v.replace(NON_DIGITS, '');
    case 'removeSpaces': return (v) => v.replace(SPACES, '');
    case 'academicYearFromTerm': return academicYear;
    case 'termFromTermName': return (v) => { const m = TERM_NAME.exec(v); return m ? m[1].toUpperCase() : null; };
    default: {
      const never: never = t;
      throw new Error(`unknown transform ${String(never)}`);
    }
  }
}

export interface ExprOptions {
  scope: 'row' | 'nested';
  /** The canonical field, for failure reports. */
  field: string;
  /** The action of the `codes` rule (a value missing from a strict lookup). */
  codesAction: RuleAction;
  /** Date-valued fields keep the {date} transform for themselves. */
  dateField: boolean;
}

/** Compiles an expression once into a closure; nothing is parsed or looked up by name per row. */
export function compileExpr(e: ExprObject, options: ExprOptions): CompiledExpr {
  let evaluate: Evaluate;
  let dateFormat: DateFormat | null = null;
  if (e.column !== undefined) evaluate = compileColumn(e.column, options.scope);
  else if (e.path !== undefined) evaluate = compilePath(e.path);
  else if (e.const !== undefined) {
    const value = e.const === null ? null : String(e.const);
    evaluate = () => value;
  } else if (e.concat !== undefined) {
    const parts = e.concat.map((p) => compileExpr(p, { ...options, dateField: false }).evaluate);
    const separator = e.separator ?? ' ';
    evaluate = (ctx) => {
      let out: string | null = null;
      for (const part of parts) {
        const v = part(ctx);
        if (v !== null) out = out === null ? v : out + separator + v;
      }
      return out;
    };
  } else if (e.first !== undefined) {
    const options2 = e.first.map((p) => compileExpr(p, options));
    evaluate = (ctx) => {
      for (const o of options2) {
        const v = o.evaluate(ctx);
        if (v !== null) return v;
      }
      return null;
    };
    dateFormat = options2.find((o) => o.dateFormat !== null)?.dateFormat ?? null;
  } else if (e.difference !== undefined) {
    const [a, b] = e.difference.map((p) => compileExpr(p, { ...options, dateField: false }).evaluate);
    evaluate = (ctx) => {
      const x = a(ctx);
      const y = b(ctx);
      if (x === null || y === null || !INTEGER.test(x) || !INTEGER.test(y)) return null;
      return String(Number(x) - Number(y));
    };
  } else {
    throw new Error('expression without a source (the schema should have refused it)');
  }

  const transforms: Array<(v: string) => string | null> = [];
  for (const t of e.transform ?? []) {
    if (typeof t === 'object' && options.dateField) dateFormat = t.date;
    else transforms.push(compileTransform(t));
  }
  if (transforms.length > 0) {
    const inner = evaluate;
    evaluate = (ctx) => {
      let v = inner(ctx);
      for (let i = 0; i < transforms.length && v !== null; i++) {
        v = transforms[i](v);
        if (v !== null && v.length === 0) v = null;
      }
      return v;
    };
  }
  if (e.lookup !== undefined) {
    const table = new Map(Object.entries(e.lookup));
    const strict = e.strictLookup === true;
    const inner = evaluate;
    const { field, codesAction } = options;
    evaluate = (ctx) => {
      const v = inner(ctx);
      if (v === null) return null;
      const mapped = table.get(v);
      if (mapped !== undefined) return mapped;
      if (!strict) return v;
      return ctx.fail(field, REASON.UNKNOWN_CODE, 'the code is not in the lookup', codesAction) ? v : null;
    };
  }
  if (e.default !== undefined) {
    const fallback = e.default;
    const inner = evaluate;
    evaluate = (ctx) => inner(ctx) ?? fallback;
  }
  return { evaluate, dateFormat };
}

/** A template's `when`: compiled to a predicate over the row (or nested person). */
export function compileCondition(c: Condition, scope: 'row' | 'nested'): (ctx: RowContext) => boolean {
  const read = c.column !== undefined ? compileColumn(c.column, scope) : compilePath(c.path as string);
  const inSet = c.in === undefined ? null : new Set(c.in);
  const notInSet = c.notIn === undefined ? null : new Set(c.notIn);
  const present = c.present;
  return (ctx) => {
    const v = read(ctx);
    if (present !== undefined && (v !== null) !== present) return false;
    if (inSet !== null && (v === null || !inSet.has(v))) return false;
    if (notInSet !== null && v !== null && notInSet.has(v)) return false;
    return true;
  };
}
