import { Day } from '../core/dates';
import { AttendanceTerm, EventKind, LifeEvent, Term } from '../population/model';

/**
 * The shipped Troubled Families phase 2 rules (shared/domain.md), as pure code over true events.
 * The truth files say which criteria each family meets under these rules; the hub's own scoring
 * is configuration and can be checked against them.
 */
export const CRITERIA = ['crime', 'school', 'children', 'work', 'domestic-abuse', 'health'] as const;
export type Criterion = (typeof CRITERIA)[number];

export interface RuleSettings {
  /** Crime, domestic abuse, children's and health indicators look back this many days. */
  lookbackDays: number;
  /** Worklessness indicators (benefits, NEET, arrears) look back this many days. */
  workLookbackDays: number;
  /** Attendance below this share of sessions, over the last three terms, counts. */
  attendanceThreshold: number;
  fixedExclusionsThreshold: number;
  /** Oldest age (exclusive) of a dependent child. */
  dependentAgeLimit: number;
}

export const SHIPPED_RULES: RuleSettings = {
  lookbackDays: 365,
  workLookbackDays: 183,
  attendanceThreshold: 0.9,
  fixedExclusionsThreshold: 3,
  dependentAgeLimit: 18,
};

export interface FamilyMemberView {
  personId: number;
  isChild: boolean;
  ageAtRef: number;
}

export interface CriteriaInput {
  ref: Day;
  members: FamilyMemberView[];
  /** Events that involve the person, as subject or as a related party. */
  eventsOf(personId: number): readonly LifeEvent[];
  attendanceOf(personId: number): readonly AttendanceTerm[];
  /** The last three completed terms before ref, oldest first. */
  lastTerms: readonly Term[];
}

export interface CriteriaResult {
  eligible: boolean;
  met: Criterion[];
  indicators: string[];
}

const CHILDREN_KINDS: ReadonlySet<EventKind> = new Set(['cin', 'cp', 'early-help', 'cse', 'missing', 'young-carer', 'ey-not-taken', 'camhs']);
const DA_KINDS: ReadonlySet<EventKind> = new Set(['domestic', 'marac', 'da-support']);
const HEALTH_KINDS: ReadonlySet<EventKind> = new Set(['mh', 'substance']);
export const OUT_OF_WORK_BENEFITS: ReadonlySet<string> = new Set(['JSA', 'ESA', 'IS', 'IB', 'UC-SEARCH', 'UC-LCW', 'CA']);

/** Started by ref, and either still open (for ongoing kinds), ended after `from`, or a one-off after `from`. */
function activeWithin(e: LifeEvent, from: Day, ref: Day): boolean {
  if (e.start > ref) return false;
  if (e.end !== null) return e.end > from;
  return isOngoing(e.kind) || e.start > from;
}

/** Kinds whose open-ended records mean "still going on" rather than "a one-off on that day". */
function isOngoing(kind: EventKind): boolean {
  return kind === 'cin' || kind === 'cp' || kind === 'early-help' || kind === 'pru' || kind === 'benefit' || kind === 'rent-arrears' || kind === 'mh' || kind === 'substance' || kind === 'camhs' || kind === 'young-carer' || kind === 'probation' || kind === 'da-support';
}

export function evaluateFamily(input: CriteriaInput, rules: RuleSettings = SHIPPED_RULES): CriteriaResult {
  const { ref } = input;
  const from = ref - rules.lookbackDays;
  const workFrom = ref - rules.workLookbackDays;
  const schoolFrom = input.lastTerms.length > 0 ? input.lastTerms[0].start : from;
  const indicators = new Set<string>();
  const dependants = input.members.filter((m) => m.isChild && m.ageAtRef < rules.dependentAgeLimit);
  if (dependants.length === 0) return { eligible: false, met: [], indicators: [] };
  for (const m of input.members) {
    let fixed = 0;
    for (const e of input.eventsOf(m.personId)) {
      const subject = e.personId === m.personId;
      switch (e.kind) {
        case 'offence':
          if (subject && m.isChild && e.code.endsWith('/P') && e.start > from && e.start <= ref) indicators.add('crime:child-proven-offence');
          break;
        case 'yot':
          if (subject && e.start > from && e.start <= ref) indicators.add('crime:youth-offending-disposal');
          break;
        case 'asb':
          if (subject && e.start > from && e.start <= ref) indicators.add('crime:asb');
          break;
        case 'probation':
          if (subject && !m.isChild && activeWithin(e, from, ref)) indicators.add('crime:prison-release-or-order');
          break;
        case 'exclusion':
          if (subject && e.start >= schoolFrom && e.start <= ref) {
            if (e.code === 'PERM') indicators.add('school:permanent-exclusion');
            else fixed++;
          }
          break;
        case 'pru':
          if (subject && activeWithin(e, schoolFrom, ref)) indicators.add('school:pru-or-ap');
          break;
        case 'cme':
          if (subject && e.start > from && e.start <= ref) indicators.add('school:missing-education');
          break;
        case 'benefit':
          if (subject && !m.isChild && OUT_OF_WORK_BENEFITS.has(e.code) && activeWithin(e, workFrom, ref)) indicators.add('work:out-of-work-benefit');
          break;
        case 'neet':
          if (subject && e.start > workFrom && e.start <= ref) indicators.add('work:neet');
          break;
        case 'rent-arrears':
          if (activeWithin(e, workFrom, ref)) indicators.add('work:rent-arrears');
          break;
        case 'maternity':
          if (subject && e.code === 'VULNERABLE' && e.start > from && e.start <= ref) indicators.add('health:vulnerable-new-mother');
          break;
        case 'homeless':
          break;
        default:
          if (CHILDREN_KINDS.has(e.kind)) {
            if (subject && m.isChild && activeWithin(e, from, ref)) indicators.add(`children:${e.kind}`);
          } else if (DA_KINDS.has(e.kind)) {
            if (activeWithin(e, from, ref)) indicators.add(`domestic-abuse:${e.kind}`);
          } else if (HEALTH_KINDS.has(e.kind)) {
            if (subject && activeWithin(e, from, ref)) indicators.add(`health:${e.kind}`);
          }
      }
    }
    if (fixed >= rules.fixedExclusionsThreshold) indicators.add('school:fixed-term-exclusions');
    if (m.isChild) {
      let possible = 0;
      let missed = 0;
      let terms = 0;
      for (const a of input.attendanceOf(m.personId)) {
        if (input.lastTerms.some((t) => t.index === a.term)) { possible += a.possible; missed += a.missed; terms++; }
      }
      if (terms === input.lastTerms.length && possible > 0 && 1 - missed / possible < rules.attendanceThreshold) indicators.add('school:attendance-below-threshold');
    }
  }
  const met = CRITERIA.filter((c) => [...indicators].some((i) => i.startsWith(c + ':')));
  return { eligible: true, met, indicators: [...indicators].sort() };
}
