import { RelationshipKindValues } from '@hub/contracts';
import type { IdentifierInput, IdentifierScheme, RelationshipKind, Sex } from '@hub/contracts';
import {
  BIRTH_DATE_PLACEHOLDERS, capLength, checkDateBounds, cleanNamePart, cleanText, normaliseEmail, normaliseNhsNumber, normaliseNiNumber,
  normalisePhone, normalisePncId, normalisePostcode, normaliseSex, normaliseUkPostcode, normaliseUpn, normaliseUprn, parseCalendarDate,
  REASON, splitFullName,
} from '../../validation/domain';
import type { Checked, DateFormat, FullNameOrder, SplitName } from '../../validation/domain';
import { compileExpr, Evaluate } from './expressions';
import type { ExprObject, FeedConfig, FieldRule, IdentifierExpr, RuleAction } from './feed-config';
import type { RowContext } from './row-context';

/** A compiled canonical field: its value for the current row, with failures reported to the context. */
export type Reader<T> = (ctx: RowContext) => T | null;

const INTEGER = /^\d+$/;
const DECIMAL_INTEGER = /^(\d+)\.0+$/;
const TRUE_WORDS = new Set(['Y', 'YES', 'TRUE', 'T', '1']);
const FALSE_WORDS = new Set(['N', 'NO', 'FALSE', 'F', '0']);
const RELATIONSHIP_KINDS: ReadonlySet<string> = new Set(RelationshipKindValues);
const WHITESPACE = /\s+/g;
const HAS_DIGIT = /\d/;
const LETTERS = /\p{L}/gu;

/** Compiles canonical fields of one feed: the feed's rules, length cap and date format are bound here, once. */
export class FieldCompiler {
  private readonly rules: FeedConfig['rules'];
  private readonly maxLength: number;

  constructor(private readonly config: FeedConfig) {
    this.rules = config.rules;
    this.maxLength = config.maxFieldLength;
  }

  rulesFor(): FeedConfig['rules'] {
    return this.rules;
  }

  private expr(e: ExprObject, scope: 'row' | 'nested', field: string, dateField = false) {
    return compileExpr(e, { scope, field, codesAction: this.rules.codes.action, dateField });
  }

  /** The raw text of a field after the length cap; null when absent or when the cap's rule nulls it. */
  private capped(evaluate: Evaluate, field: string): Evaluate {
    const max = this.maxLength;
    const action = this.rules.fieldLength.action;
    return (ctx) => {
      const v = evaluate(ctx);
      if (v === null || v.length <= max) return v;
      const capped = capLength(v, max, action === 'truncate' ? 'truncate' : 'reject');
      if (capped.ok) {
        if (capped.truncated === true) ctx.fail(field, REASON.FIELD_TOO_LONG, `the value was cut to ${max} characters`, 'keep-and-flag');
        return capped.value;
      }
      ctx.fail(field, REASON.FIELD_TOO_LONG, capped.message, action === 'reject' ? 'reject' : 'null-and-flag');
      return null;
    };
  }

  /** Applies a validator; on failure the rule decides between null, the raw value, or rejecting the row. */
  private checked<T>(evaluate: Evaluate, field: string, rule: FieldRule, check: (raw: string) => Checked<T>, keepRaw: (raw: string) => T | null): Reader<T> {
    const action: RuleAction = rule.action;
    if (action === 'ignore') {
      return (ctx) => {
        const raw = evaluate(ctx);
        if (raw === null) return null;
        const result = check(raw);
        return result.ok ? result.value : keepRaw(raw);
      };
    }
    return (ctx) => {
      const raw = evaluate(ctx);
      if (raw === null) return null;
      const result = check(raw);
      if (result.ok) return result.value;
      return ctx.fail(field, result.code, result.message, action) ? keepRaw(raw) : null;
    };
  }

  text(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<string> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return (ctx) => {
      const v = raw(ctx);
      if (v === null) return null;
      const clean = cleanText(v);
      return clean.length === 0 ? null : clean;
    };
  }

  date(e: ExprObject, scope: 'row' | 'nested', field: string, bounds: 'birth' | 'event' | 'none'): Reader<string> {
    const compiled = this.expr(e, scope, field, true);
    const format: DateFormat = compiled.dateFormat ?? this.config.dateFormat;
    const raw = this.capped(compiled.evaluate, field);
    const rule = bounds === 'birth' ? this.rules.dateOfBirth : this.rules.dates;
    const earliest = bounds === 'birth' ? this.rules.dateOfBirth.earliest : null;
    const placeholders = bounds === 'birth' ? BIRTH_DATE_PLACEHOLDERS : null;
    const notFuture = bounds !== 'none';
    const parse = (v: string) => parseCalendarDate(v, format);
    const read = this.checked(raw, field, rule, parse, () => null);
    if (!notFuture && earliest === null) return read;
    const action = rule.action;
    return (ctx) => {
      const date = read(ctx);
      if (date === null) return null;
      const bounded = checkDateBounds(date, { today: ctx.today, notFuture, notBefore: earliest, placeholders });
      if (bounded.ok || action === 'ignore') return date;
      return ctx.fail(field, bounded.code, bounded.message, action) ? date : null;
    };
  }

  sex(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<Sex> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    const read = this.checked<Sex | null>(raw, field, this.rules.sex, normaliseSex, () => null);
    return read as Reader<Sex>;
  }

  integer(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<number> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.checked(raw, field, this.rules.values, (v) => {
      const s = v.trim();
      const decimal = DECIMAL_INTEGER.exec(s);
      if (INTEGER.test(s) && s.length <= 9) return { ok: true, value: Number(s) };
      if (decimal && decimal[1].length <= 9) return { ok: true, value: Number(decimal[1]) };
      return { ok: false, code: REASON.INVALID_NUMBER, message: 'expected a whole number of at most 9 digits, not negative' };
    }, () => null);
  }

  bool(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<boolean> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.checked(raw, field, this.rules.values, (v) => {
      const key = v.trim().toUpperCase();
      if (TRUE_WORDS.has(key)) return { ok: true, value: true };
      if (FALSE_WORDS.has(key)) return { ok: true, value: false };
      return { ok: false, code: REASON.INVALID_BOOLEAN, message: 'expected yes or no' };
    }, () => null);
  }

  relationshipKind(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<RelationshipKind> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.checked(raw, field, this.rules.codes, (v) => {
      const key = v.trim().toUpperCase();
      return RELATIONSHIP_KINDS.has(key) ? { ok: true, value: key as RelationshipKind } : { ok: false, code: REASON.UNKNOWN_CODE, message: 'not a relationship kind' };
    }, () => 'OTHER');
  }

  postcode(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<string> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.postcodeOf(raw, field);
  }

  postcodeOf(raw: Evaluate, field: string): Reader<string> {
    const format = this.rules.postcode.format;
    return this.checked(raw, field, this.rules.postcode, (v) => normalisePostcode(v, format), (v) => cleanText(v).toUpperCase());
  }

  /** The postcode rule applied to a value found inside another field (a one-line address). */
  postcodeValue(field: string): (ctx: RowContext, raw: string) => string | null {
    const format = this.rules.postcode.format;
    const action = this.rules.postcode.action;
    return (ctx, raw) => {
      const result = normalisePostcode(raw, format);
      if (result.ok) return result.value;
      if (action === 'ignore') return raw.toUpperCase();
      return ctx.fail(field, result.code, result.message, action) ? raw.toUpperCase() : null;
    };
  }

  uprn(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<string> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.checked(raw, field, this.rules.uprn, normaliseUprn, (v) => cleanText(v));
  }

  email(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<string> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.checked(raw, field, this.rules.email, normaliseEmail, (v) => cleanText(v));
  }

  phone(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<string> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.checked(raw, field, this.rules.phone, normalisePhone, (v) => v.replace(WHITESPACE, ''));
  }

  identifier(e: IdentifierExpr, scope: 'row' | 'nested'): Reader<IdentifierInput> {
    const scheme: IdentifierScheme = e.scheme;
    const field = `person.identifiers.${scheme}`;
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    const issuer = e.issuer ?? null;
    const compact = (v: string) => cleanText(v).replace(WHITESPACE, '');
    let read: Reader<string>;
    switch (scheme) {
      case 'NHS': read = this.checked(raw, field, this.rules.nhsNumber, normaliseNhsNumber, compact); break;
      case 'UPN': read = this.checked(raw, field, this.rules.upn, normaliseUpn, compact); break;
      case 'NI': read = this.checked(raw, field, this.rules.niNumber, normaliseNiNumber, compact); break;
      case 'PNC': read = this.checked(raw, field, this.rules.pncId, normalisePncId, compact); break;
      case 'LOCAL':
      case 'OTHER':
        read = this.checked(raw, field, this.rules.localId, (v) => {
          const value = compact(v);
          return value.length > 0 ? { ok: true, value } : { ok: false, code: REASON.INVALID_IDENTIFIER, message: 'an identifier has at least one visible character' };
        }, () => null);
        break;
      default: {
        const never: never = scheme;
        throw new Error(`unknown identifier scheme ${String(never)}`);
      }
    }
    return (ctx) => {
      const value = read(ctx);
      return value === null ? null : { scheme, value, issuer };
    };
  }

  /** One name part: cleaned, title taken out, placeholders and non-names nulled per the names rule. */
  namePart(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<{ name: string | null; title: string | null }> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return this.checked(raw, field, this.rules.names, cleanNamePart, (v) => ({ name: cleanText(v), title: null }));
  }

  fullName(e: ExprObject, scope: 'row' | 'nested', field: string, order: FullNameOrder): { split: Reader<SplitName>; received: Reader<string> } {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    const split = this.checked(raw, field, this.rules.names, (v) => splitFullName(v, order), () => null);
    return {
      split,
      received: (ctx) => {
        const v = raw(ctx);
        return v === null ? null : cleanText(v);
      },
    };
  }

  /** "JS" → J and S: a forename initial and a surname initial, kept as one-letter names. */
  initials(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<string[]> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return (ctx) => {
      const v = raw(ctx);
      if (v === null) return null;
      const letters = cleanText(v).toUpperCase().match(LETTERS);
      if (letters === null) {
        ctx.fail(field, REASON.INVALID_NAME, 'initials are letters', this.rules.names.action);
        return null;
      }
      return letters;
    };
  }

  /** "1 Everton Grove, City Centre, Liverpool, L1 1HZ": lines, then a town, then a postcode; any of them may be missing. */
  oneLineAddress(e: ExprObject, scope: 'row' | 'nested', field: string): Reader<{ lines: string[]; locality: string | null; postcode: string | null }> {
    const raw = this.capped(this.expr(e, scope, field).evaluate, field);
    return (ctx) => {
      const v = raw(ctx);
      if (v === null) return null;
      const parts = cleanText(v).split(',').map((p) => p.trim()).filter((p) => p.length > 0);
      let postcode: string | null = null;
      if (parts.length > 0) {
        const last = parts[parts.length - 1];
        if (looksLikePostcode(last)) {
          postcode = last;
          parts.pop();
        } else {
          const words = last.split(' ');
          if (words.length >= 3) {
            const tail = words.slice(-2).join(' ');
            if (looksLikePostcode(tail)) {
              postcode = tail;
              parts[parts.length - 1] = words.slice(0, -2).join(' ');
            }
          }
        }
      }
      let locality: string | null = null;
      if (parts.length >= 2 && !HAS_DIGIT.test(parts[parts.length - 1])) locality = parts.pop() ?? null;
      return { lines: parts, locality, postcode };
    };
  }
}

/** A UK postcode or an NHS pseudo-postcode, by shape: the one-line splitter's test for "is this the postcode part". */
function looksLikePostcode(s: string): boolean {
  if (s.length > 9 || !HAS_DIGIT.test(s)) return false;
  const r = normaliseUkPostcode(s);
  return r.ok || r.code === REASON.PLACEHOLDER_POSTCODE;
}
