import { Day } from '../core/dates';
import { Sex } from '../core/tables';

export interface Address {
  id: number;
  uprn: string;
  flat: string | null;
  building: string | null;
  houseNumber: string;
  street: string;
  locality: string;
  postcode: string;
  lsoa: number;
}

export interface NameSpell { from: Day; surname: string }
export interface Residence { from: Day; addressId: number }

export interface Person {
  id: number;
  sex: Sex;
  dob: Day;
  dod: Day | null;
  forename: string;
  middleName: string | null;
  /** Surname history; the first entry is the birth surname. */
  surnames: NameSpell[];
  nhs: string;
  ni: string | null;
  upn: string | null;
  pnc: string | null;
  motherId: number;
  fatherId: number;
  twinOf: number;
  namesakeOf: number;
  /** Where the person lived, in date order (from the window start or from birth/arrival). */
  residences: Residence[];
  /** The household the person currently belongs to during simulation (-1 when none). */
  householdId: number;
  membership: number;
  school: number;
}

export type HouseholdRole = 'head' | 'partner' | 'child' | 'grandparent' | 'sharer';
export type HouseholdType =
  | 'single' | 'single-older' | 'couple' | 'couple-children' | 'lone-parent' | 'step-family'
  | 'multigenerational' | 'adult-children' | 'shared';

export interface Household {
  id: number;
  type: HouseholdType;
  addresses: Residence[];
  members: number[];
  from: Day;
  to: Day | null;
}

export interface Membership {
  householdId: number;
  personId: number;
  role: HouseholdRole;
  from: Day;
  to: Day | null;
}

export const FAMILY_ROLES: ReadonlySet<HouseholdRole> = new Set(['head', 'partner', 'child']);

export type EventKind =
  | 'offence' | 'asb' | 'domestic' | 'marac' | 'da-support' | 'probation' | 'missing' | 'yot'
  | 'exclusion' | 'pru' | 'cme'
  | 'cin' | 'cp' | 'early-help' | 'cse' | 'young-carer' | 'ey-not-taken' | 'camhs'
  | 'mh' | 'substance' | 'maternity'
  | 'benefit' | 'neet' | 'rent-arrears' | 'homeless';

/** Something that happened to a person: the common stuff partner feeds are made from. */
export interface LifeEvent {
  id: number;
  kind: EventKind;
  personId: number;
  start: Day;
  end: Day | null;
  /** Feed-specific code (offence code, benefit type, exclusion type, plan category, ...). */
  code: string;
  /** A number where the kind has one (arrears in pounds, sessions, risk score). */
  value: number;
  /** Other people in the event (perpetrator, victim, children present, baby). */
  related: Array<{ personId: number; role: string }>;
}

/** One pupil's attendance in one term. */
export interface AttendanceTerm { personId: number; term: number; possible: number; missed: number; unauthorised: number }

export interface School { id: number; urn: string; estab: number; name: string; phase: 'primary' | 'secondary' | 'pru'; district: string }

export interface Term { index: number; name: string; start: Day; end: Day }
