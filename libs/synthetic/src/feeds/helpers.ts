import { Day } from '../core/dates';
import { EventKind, LifeEvent, Membership } from '../population/model';
import { World } from '../world';
import { BaseRecord, EventColumn, FieldValue, PersonSlot } from './model';

/** Sequential local keys, like a source system's own ids. */
export function keys(prefix: string, width = 7, startAt = 1): () => string {
  let i = startAt - 1;
  return () => prefix + String(++i).padStart(width, '0');
}

interface WorldIndex {
  byPerson: Membership[][];
  byHousehold: Membership[][];
  eventsByKind: Map<EventKind, LifeEvent[]>;
}

const indexes = new WeakMap<World, WorldIndex>();

export function worldIndex(w: World): WorldIndex {
  let ix = indexes.get(w);
  if (ix) return ix;
  const byPerson: Membership[][] = Array.from({ length: w.population.persons.length }, () => []);
  const byHousehold: Membership[][] = Array.from({ length: w.population.households.length }, () => []);
  for (const m of w.population.memberships) {
    byPerson[m.personId].push(m);
    byHousehold[m.householdId].push(m);
  }
  const eventsByKind = new Map<EventKind, LifeEvent[]>();
  for (const e of w.history.events) {
    const list = eventsByKind.get(e.kind);
    if (list) list.push(e); else eventsByKind.set(e.kind, [e]);
  }
  ix = { byPerson, byHousehold, eventsByKind };
  indexes.set(w, ix);
  return ix;
}

export function eventsOfKind(w: World, kind: EventKind): LifeEvent[] {
  return worldIndex(w).eventsByKind.get(kind) ?? [];
}

export function membershipOn(w: World, personId: number, day: Day): Membership | null {
  let found: Membership | null = null;
  for (const m of worldIndex(w).byPerson[personId]) if (m.from <= day && (m.to === null || m.to > day)) found = m;
  return found ?? worldIndex(w).byPerson[personId][0] ?? null;
}

/** The people living with a person on a day, the person first. */
export function householdOn(w: World, personId: number, day: Day): Membership[] {
  const own = membershipOn(w, personId, day);
  if (!own) return [];
  const others = worldIndex(w).byHousehold[own.householdId].filter((m) => m.personId !== personId && m.from <= day && (m.to === null || m.to > day));
  return [own, ...others];
}

/** Whose identifier might be written on this person's record by mistake: a child's mother or father. */
export function relativeOf(w: World, personId: number): number {
  const p = w.population.persons[personId];
  return p.motherId >= 0 ? p.motherId : p.fatherId;
}

export function subject(w: World, personId: number, role = 'subject'): PersonSlot {
  return { personId, role, relativeId: relativeOf(w, personId) };
}

/** One record per event, keyed in event order. */
export function eventRecords(w: World, kind: EventKind, prefix: string, filter: (e: LifeEvent) => boolean = () => true): BaseRecord[] {
  const next = keys(prefix);
  return eventsOfKind(w, kind).filter(filter).map((e) => ({
    key: next(),
    slots: [subject(w, e.personId)],
    start: e.start,
    end: e.end,
    asOf: e.start,
    data: { start: e.start, end: e.end, code: e.code, value: e.value, eventId: e.id },
  }));
}

export function col(name: string, role: EventColumn['role'], type: EventColumn['type'], get: (r: BaseRecord, cut: Day) => FieldValue, codes?: Record<string, string>): EventColumn {
  return codes ? { name, role, type, get, codes } : { name, role, type, get };
}

export const startCol = (name: string, role: EventColumn['role'] = 'event-date') => col(name, role, 'date', (r) => r.data.start);
export const endCol = (name: string) => col(name, 'end-date', 'date', (r, cut) => (r.end !== null && r.end <= cut ? r.end : null));
export const codeCol = (name: string, codes: Record<string, string>, map: (code: string) => string = (c) => c) => col(name, 'code', 'code', (r) => map(String(r.data.code)), codes);

export function pounds(n: number): string {
  const [whole, pence] = n.toFixed(2).split('.');
  return `£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${pence}`;
}
