import type { IdentifierScheme, InvolvementKind, Sensitivity } from '@hub/contracts';
import type { DateFormat, PostcodeRule } from '../../validation/domain';
import type { AddressFieldName, InvolvementFieldName, PersonFieldName, RelationshipFieldName } from './canonical-fields';

/**
 * A feed's configuration as written in config/feeds/<feed>.yaml, after validation. A new feed
 * is a new file of this shape, not new code.
 */
export interface FeedConfig {
  name: string;
  partner: string;
  description: string | null;
  /** The source system stamped on records (SourceRecordRef.sourceSystem); the feed name unless given. */
  sourceSystem: string;
  /** delta: each delivery holds changes; snapshot: each delivery is complete. */
  kind: 'snapshot' | 'delta';
  format: 'csv' | 'jsonl';
  encoding: 'utf-8' | 'windows-1252';
  csv: CsvOptions;
  /** CSV: the header, in order. JSON Lines: the top-level fields of a record. */
  columns: string[];
  /** JSON Lines: an array of nested persons in each record. */
  nested: NestedPersons | null;
  /** The source's record key: a column, or a dotted path in a JSON record. */
  keyColumn: string;
  versionColumn: string | null;
  occurredAt: OccurredAtConfig | null;
  actionColumn: ActionColumn | null;
  /** The date format of date columns unless an expression says otherwise. */
  dateFormat: DateFormat;
  agreement: AgreementConfig;
  /** Share of rejected rows above which a load is quarantined. */
  rejectThreshold: number;
  /** Longest value (in characters) a canonical field keeps; see rules.fieldLength. */
  maxFieldLength: number;
  rules: FeedRules;
  records: RecordTemplate[];
}

export interface CsvOptions {
  delimiter: string;
  quote: string;
  /** FEBRL writes ", " between fields: the blank after each delimiter is not data. */
  skipInitialSpace: boolean;
}

export interface NestedPersons {
  /** The array field, e.g. "persons". */
  field: string;
  /** The nested person's own key, e.g. "person_ref"; when missing, "<record key>/<n>". */
  key: string;
  columns: string[];
}

export interface OccurredAtConfig {
  column: string;
  format: DateFormat | null;
}

export interface ActionColumn {
  column: string;
  insert: string[];
  update: string[];
  delete: string[];
}

export interface AgreementConfig {
  id: string;
  lawfulBasis: string;
  sensitivity: Sensitivity;
  validFrom: string;
  validTo: string | null;
}

export type RuleAction = 'null-and-flag' | 'reject' | 'ignore' | 'keep-and-flag';

export interface FieldRule {
  action: RuleAction;
}

export interface FeedRules {
  nhsNumber: FieldRule;
  upn: FieldRule;
  niNumber: FieldRule;
  pncId: FieldRule;
  localId: FieldRule;
  postcode: FieldRule & { format: PostcodeRule };
  uprn: FieldRule;
  dateOfBirth: FieldRule & { earliest: string };
  dates: FieldRule;
  names: FieldRule;
  sex: FieldRule;
  email: FieldRule;
  phone: FieldRule;
  /** Numbers and yes/no values. */
  values: FieldRule;
  /** Values missing from a lookup marked strict, and unknown relationship kinds. */
  codes: FieldRule;
  /** Detail fields the contract requires (an attendance return without sessions). */
  required: FieldRule;
  /** A person record with no name, date of birth or identifier. */
  identity: FieldRule;
  fieldLength: { action: 'truncate' | 'reject' | 'null-and-flag' };
}

export type Transform =
  | 'trim' | 'upper' | 'lower' | 'properCase' | 'digitsOnly' | 'removeSpaces'
  /** "autumn 2017" → "2017/18", "spring 2018" → "2017/18". */
  | 'academicYearFromTerm'
  /** "autumn 2017" → "AUTUMN". */
  | 'termFromTermName'
  /** The value is a date in this format (for a date field: overrides the feed's dateFormat; elsewhere: becomes YYYY-MM-DD). */
  | { date: DateFormat };

/**
 * A source expression: a column, a dotted path from the record's root, a constant, or a
 * combination; then transforms, then an optional code lookup. In YAML the short form of
 * {column: X} is just X; loading expands it, so a validated configuration holds objects only.
 */
export type Expr = ExprObject;

export interface ExprObject {
  column?: string;
  path?: string;
  const?: string | number | boolean | null;
  concat?: Expr[];
  separator?: string;
  /** The first expression with a value. */
  first?: Expr[];
  /** a - b of two whole numbers. */
  difference?: [Expr, Expr];
  transform?: Transform[];
  lookup?: Record<string, string | null>;
  /** A value missing from the lookup fails the `codes` rule instead of passing through. */
  strictLookup?: boolean;
  /** Used when the expression has no value. */
  default?: string;
}

export interface IdentifierExpr extends ExprObject {
  scheme: IdentifierScheme;
  /** For LOCAL and OTHER: which system issued it, e.g. "febrl.soc_sec_id". */
  issuer?: string;
}

export interface Condition {
  column?: string;
  path?: string;
  in?: string[];
  notIn?: string[];
  /** true: the value is not empty; false: it is empty. */
  present?: boolean;
}

interface TemplateBase {
  recordType: string;
  /** row: once per row; nested: once per nested person (JSON Lines with `nested`). */
  scope: 'row' | 'nested';
  when: Condition | null;
  /** The record's source id; by default the row key (row scope) or the nested person's key. */
  id: Expr | null;
}

export type PersonFields = Partial<Record<PersonFieldName, Expr>> & {
  identifiers?: IdentifierExpr[];
  emails?: Expr[];
  phones?: Expr[];
};

export interface PersonTemplate extends TemplateBase {
  type: 'person';
  /** How a full name without a comma is read. */
  fullNameOrder: 'auto' | 'given-first' | 'family-first';
  fields: PersonFields;
}

export interface InvolvementTemplate extends TemplateBase {
  type: 'involvement';
  kind: InvolvementKind;
  /** The person record it is about; by default the person of the same scope. */
  person: Expr | null;
  fields: Partial<Record<InvolvementFieldName, Expr>> & { attributes?: Record<string, Expr> };
}

export interface RelationshipTemplate extends TemplateBase {
  type: 'relationship';
  /** Nested scope: the nested person every other one is related to (e.g. role "subject"). */
  anchor: Condition | null;
  fields: Partial<Record<RelationshipFieldName, Expr>> & { attributes?: Record<string, Expr> };
}

export interface AddressTemplate extends TemplateBase {
  type: 'address';
  person: Expr | null;
  fields: Partial<Record<AddressFieldName, Expr>>;
}

export type RecordTemplate = PersonTemplate | InvolvementTemplate | RelationshipTemplate | AddressTemplate;

export interface AgreementRecord {
  id: string;
  partner: string;
  title: string | null;
  lawfulBasis: string;
  sensitivity: Sensitivity;
  validFrom: string;
  validTo: string | null;
}
