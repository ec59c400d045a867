import { Day, DateFormat } from '../core/dates';
import { IdKind } from '../core/identifiers';
import { World } from '../world';

export type FeedKind = 'snapshot' | 'delta';
export type Cadence = 'monthly' | 'quarterly' | 'termly';
export type NameStyle = 'split' | 'split-no-middle' | 'full' | 'full-surname-first' | 'initials';
export type AddressStyle = 'parts' | 'oneline' | 'postcode' | 'none';

/** What a column holds, so ingest mappings can be written against the manifest. */
export type ColumnRole =
  | 'record-id' | 'action' | 'forename' | 'middle-names' | 'surname' | 'full-name' | 'initials' | 'sex' | 'dob'
  | 'nhs-number' | 'ni-number' | 'upn' | 'pnc-id' | 'uprn' | 'address-line-1' | 'address-line-2' | 'address-town'
  | 'address-oneline' | 'postcode' | 'event-date' | 'end-date' | 'code' | 'amount' | 'count' | 'text'
  | 'group-id' | 'relationship' | 'school-urn' | 'persons';

export interface PersonStyle {
  names: NameStyle;
  upperCase?: boolean;
  address: AddressStyle;
  /** Codes for male, female and not known. */
  sex: [string, string, string] | null;
  dob: boolean;
  ids: Array<IdKind | 'uprn'>;
  /** Column names for identity fields, by role, where they differ from the defaults. */
  names_?: Partial<Record<ColumnRole, string>>;
}

export type FieldValue = string | number | null;

export interface EventColumn {
  name: string;
  role: ColumnRole;
  type: 'date' | 'code' | 'number' | 'text';
  /** Permitted codes and what they mean, where the column holds codes. */
  codes?: Record<string, string>;
  get(rec: BaseRecord, cut: Day): FieldValue;
}

/** One person mentioned in a record (a nested record in JSON Lines feeds). */
export interface PersonSlot {
  personId: number;
  role: string;
  /** Person whose identifier may be recorded in error (mother for a baby, parent for a child). */
  relativeId: number;
}

export interface BaseRecord {
  key: string;
  /** Subject and, for nested feeds, the other people; slot 0 is the subject. */
  slots: PersonSlot[];
  /** Day the record first exists, and the day it was closed or changed, if any. */
  start: Day;
  end: Day | null;
  /** Day whose circumstances (address, surname) the record describes. */
  asOf: Day;
  data: Record<string, FieldValue>;
  /** Key of the record this one duplicates, when it is a within-feed duplicate. */
  duplicateOf?: string;
}

export interface FeedSpec {
  name: string;
  partner: string;
  description: string;
  kind: FeedKind;
  cadence: Cadence;
  format: 'csv' | 'jsonl';
  encoding: 'utf-8' | 'windows-1252';
  dateFormat: DateFormat;
  person: PersonStyle;
  /** Multiplies every noise rate of the profile for this feed. */
  quality: number;
  /** Share of duplicate records; defaults to the profile's. 0 for registers used in the linkage case. */
  duplicateRate?: number;
  /** Register feeds re-send a person's record when the address changes. */
  tracksMoves?: boolean;
  /** The source deletes a record when it ends (an elector who moves away) instead of updating it. */
  deleteOnEnd?: boolean;
  keyColumn: string;
  actionColumn?: { name: string; insert: string; update: string; delete: string };
  columns: EventColumn[];
  /** Name of the nested persons array in JSON Lines feeds. */
  personsField?: string;
  records(world: World): BaseRecord[];
}

export interface ColumnDescriptor {
  name: string;
  role: ColumnRole;
  type: 'date' | 'code' | 'number' | 'text' | 'identifier' | 'name' | 'address';
  format?: string;
  codes?: Record<string, string>;
  nested?: boolean;
}

export interface FeedDescriptor {
  name: string;
  partner: string;
  description: string;
  format: 'csv' | 'jsonl';
  encoding: 'utf-8' | 'windows-1252';
  kind: FeedKind;
  cadence: Cadence;
  dateFormat: DateFormat;
  keyColumn: string;
  actionColumn: { name: string; insert: string; update: string; delete: string } | null;
  personsField: string | null;
  columns: ColumnDescriptor[];
  deliveries: Array<{ index: number; cut: string; file: string; rows: number }>;
  records: number;
  quality: number;
  duplicateRate: number;
}
