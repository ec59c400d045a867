import { Day, ageOn, parseIsoDay } from './core/dates';
import { Rng } from './core/rng';
import { Tables } from './core/tables';
import { CriteriaResult, evaluateFamily, RuleSettings, SHIPPED_RULES } from './criteria/rules';
import { AttendanceTerm, LifeEvent } from './population/model';
import { FamilyAtRef, generateLifeHistory, LifeHistory } from './population/events';
import { Population, simulatePopulation } from './population/simulate';

export interface WorldConfig {
  seed: string;
  persons: number;
  twinRate: number;
  namesakeRate: number;
  troubleScale: number;
  /** First day of the simulated history. */
  start: string;
  /** The reference date: last delivery and the date criteria are judged on. */
  ref: string;
}

export const DEFAULT_WORLD: Omit<WorldConfig, 'seed' | 'persons'> = {
  twinRate: 0.015,
  namesakeRate: 0.002,
  troubleScale: 1,
  start: '2016-10-01',
  ref: '2019-09-30',
};

export interface FamilyTruth { family: FamilyAtRef; result: CriteriaResult }

export interface World {
  config: WorldConfig;
  tables: Tables;
  start: Day;
  ref: Day;
  rng: Rng;
  population: Population;
  history: LifeHistory;
  eventsByPerson: Map<number, LifeEvent[]>;
  attendanceByPerson: Map<number, AttendanceTerm[]>;
  familyTruth: FamilyTruth[];
}

export function buildWorld(tables: Tables, config: WorldConfig, rules: RuleSettings = SHIPPED_RULES): World {
  const rng = new Rng(`hub-synthetic/${config.seed}`);
  const start = parseIsoDay(config.start);
  const ref = parseIsoDay(config.ref);
  const population = simulatePopulation(rng.fork('population'), tables, {
    persons: config.persons, twinRate: config.twinRate, namesakeRate: config.namesakeRate, start, ref,
  });
  const history = generateLifeHistory(rng.fork('history'), tables, population, start, ref, { troubleScale: config.troubleScale });
  const eventsByPerson = new Map<number, LifeEvent[]>();
  const push = (id: number, e: LifeEvent) => {
    if (id < 0) return;
    const list = eventsByPerson.get(id);
    if (list) { if (list[list.length - 1] !== e) list.push(e); } else eventsByPerson.set(id, [e]);
  };
  for (const e of history.events) {
    push(e.personId, e);
    for (const r of e.related) push(r.personId, e);
  }
  const attendanceByPerson = new Map<number, AttendanceTerm[]>();
  for (const a of history.attendance) {
    const list = attendanceByPerson.get(a.personId);
    if (list) list.push(a); else attendanceByPerson.set(a.personId, [a]);
  }
  const lastTerms = history.terms.slice(-3);
  const familyTruth = history.families.map((family) => ({
    family,
    result: evaluateFamily({
      ref,
      members: family.members.map((m) => ({ personId: m.personId, isChild: m.role === 'child', ageAtRef: ageOn(population.persons[m.personId].dob, ref) })),
      eventsOf: (id) => eventsByPerson.get(id) ?? [],
      attendanceOf: (id) => attendanceByPerson.get(id) ?? [],
      lastTerms,
    }, rules),
  }));
  return { config, tables, start, ref, rng, population, history, eventsByPerson, attendanceByPerson, familyTruth };
}
