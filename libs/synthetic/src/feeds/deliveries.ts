import { Day, dayFromYmd, formatDay, ymdFromDay } from '../core/dates';
import { Rng } from '../core/rng';
import { Tables } from '../core/tables';
import { NoiseProfile } from '../noise/profile';
import { World } from '../world';
import { cleanIdentity, identityColumns, NoiseContext, noisyIdentity, NoiseType, renderIdentity } from './identity';
import { BaseRecord, Cadence, ColumnDescriptor, FeedSpec } from './model';

export const DELIVERIES = 6;

/** Delivery cut-off days for a cadence: the last `n` period ends on or before ref. */
export function deliveryCuts(world: World, cadence: Cadence, n = DELIVERIES): Day[] {
  const [ry, rm] = ymdFromDay(world.ref);
  // Last day of month m (1-based; m may run below 1 or above 12).
  const monthEnd = (y: number, m: number) => {
    const m0 = m - 1;
    const year = y + Math.floor(m0 / 12);
    const month = (((m0 % 12) + 12) % 12) + 1;
    return dayFromYmd(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1;
  };
  switch (cadence) {
    case 'monthly': return Array.from({ length: n }, (_x, i) => monthEnd(ry, rm - (n - 1) + i)).map((d) => Math.min(d, world.ref));
    case 'quarterly': {
      const lastQuarterEndMonth = rm - (rm % 3);
      return Array.from({ length: n }, (_x, i) => monthEnd(ry, lastQuarterEndMonth - 3 * (n - 1 - i))).map((d) => Math.min(d, world.ref));
    }
    case 'termly': return world.history.terms.slice(-n).map((t) => t.end);
    default: { const never: never = cadence; throw new Error(`unknown cadence ${String(never)}`); }
  }
}

/** A planned record: when it first appears, and whether it is later corrected or withdrawn. */
export interface PlannedRecord {
  rec: BaseRecord;
  first: number;
  correctedAt: number;
  withdrawnAt: number;
  noise: NoiseType[][];
  emitted: boolean;
}

export interface FeedRowSink {
  beginDelivery(index: number, cut: Day): void;
  /** A CSV row (values in header order) or a JSON Lines object. */
  row(value: string[] | Record<string, unknown>): void;
  endDelivery(index: number): void;
  /** If given: every record still active after the last delivery, rendered as it then stands. */
  finalRow?(value: string[] | Record<string, unknown>, rec: BaseRecord): void;
}

export interface FeedRun {
  spec: FeedSpec;
  header: string[];
  columns: ColumnDescriptor[];
  cuts: Day[];
  planned: PlannedRecord[];
  rowsPerDelivery: number[];
}

const NUMBERED = /^(.*?)(\d+)$/;

function withDuplicates(r: Rng, records: BaseRecord[], rate: number): BaseRecord[] {
  if (rate <= 0 || records.length === 0) return records;
  let max = 0;
  let prefix = 'DUP';
  let width = 7;
  for (const rec of records) {
    const m = NUMBERED.exec(rec.key);
    if (m) { const n = Number(m[2]); if (n > max) { max = n; prefix = m[1]; width = m[2].length; } }
  }
  const out = records.slice();
  for (const rec of records) {
    if (!r.chance(rate)) continue;
    // A second registration of the same person or event, made a little later under a new key.
    const start = rec.start + r.int(60);
    out.push({ ...rec, key: prefix + String(++max).padStart(width, '0'), start, asOf: Math.max(rec.asOf, start), duplicateOf: rec.key });
  }
  return out;
}

/** Header (CSV) or top-level keys (JSON Lines), and the column descriptors in file order. */
export function feedLayout(spec: FeedSpec): { header: string[]; columns: ColumnDescriptor[] } {
  const identityCols = identityColumns(spec.person, spec.dateFormat);
  const keyCol: ColumnDescriptor = { name: spec.keyColumn, role: 'record-id', type: 'identifier' };
  const actionCols: ColumnDescriptor[] = spec.actionColumn
    ? [{ name: spec.actionColumn.name, role: 'action', type: 'code', codes: { [spec.actionColumn.insert]: 'new record', [spec.actionColumn.update]: 'update or correction', [spec.actionColumn.delete]: 'withdrawn or deleted' } }]
    : [];
  const eventCols = spec.columns.map((c): ColumnDescriptor => ({ name: c.name, role: c.role, type: c.type, ...(c.type === 'date' ? { format: spec.dateFormat } : {}), ...(c.codes ? { codes: c.codes } : {}) }));
  if (spec.format === 'csv') {
    const columns = [keyCol, ...actionCols, ...identityCols, ...eventCols];
    return { header: columns.map((c) => c.name), columns };
  }
  const personsField = spec.personsField ?? 'persons';
  const top = [keyCol, ...actionCols, ...eventCols, { name: personsField, role: 'persons' as const, type: 'text' as const, format: 'array of person objects: person_ref, role, then the nested identity columns (empty values omitted)' }];
  return {
    header: top.map((c) => c.name),
    columns: [...top, { name: 'person_ref', role: 'record-id', type: 'identifier', nested: true }, { name: 'role', role: 'relationship', type: 'code', nested: true }, ...identityCols.map((c) => ({ ...c, nested: true }))],
  };
}

/**
 * Plans and renders one feed's deliveries. Pure apart from the sink: the same world, spec and
 * profile always give the same rows in the same order.
 */
export function runFeed(world: World, tables: Tables, spec: FeedSpec, profile: NoiseProfile, sink: FeedRowSink): FeedRun {
  const rng = world.rng.fork(`feed/${spec.name}`);
  const cuts = deliveryCuts(world, spec.cadence);
  const n = cuts.length;
  const period = cuts.length > 1 ? cuts[1] - cuts[0] : 91;
  const prevCut = (k: number) => (k === 0 ? cuts[0] - period : cuts[k - 1]);
  const base = spec.records(world);
  const records = withDuplicates(rng.fork('duplicates'), base, spec.duplicateRate ?? profile.duplicateRate);
  const ctx: NoiseContext = { pop: world.population, tables, profile, quality: spec.quality, style: spec.person };
  const seedRoot = `${world.config.seed}/${profile.name}/${spec.name}`;
  const lifecycle = rng.fork('lifecycle');

  const planned: PlannedRecord[] = records.map((rec) => {
    let first = -1;
    for (let k = 0; k < n; k++) {
      const visible = spec.kind === 'delta' ? rec.start <= cuts[k] : rec.start <= cuts[k] && (rec.end === null || rec.end > prevCut(k));
      if (visible) { first = k; break; }
    }
    // A source that deletes ended records never sends one that had already ended by its first delivery.
    if (spec.deleteOnEnd && first >= 0 && rec.end !== null && rec.end <= cuts[first]) first = -1;
    const dice = lifecycle.next();
    const lag = 1 + lifecycle.int(3);
    return { rec, first, correctedAt: Infinity, withdrawnAt: rec.duplicateOf !== undefined && dice < profile.withdrawalRate && first >= 0 && first + lag < n ? first + lag : Infinity, noise: [], emitted: false };
  });

  const { header, columns } = feedLayout(spec);
  const identityCols = identityColumns(spec.person, spec.dateFormat);
  const rowsPerDelivery: number[] = [];
  const render = (p: PlannedRecord, k: number, action: 'insert' | 'update' | 'delete'): string[] | Record<string, unknown> => {
    const cut = cuts[k];
    const rec = p.rec;
    const asOf = spec.tracksMoves ? Math.min(cut, rec.end ?? cut) : rec.asOf;
    const corrected = k >= p.correctedAt;
    const logNow = !p.emitted;
    const identities = (spec.format === 'csv' ? rec.slots.slice(0, 1) : rec.slots).map((slot, i) => {
      const person = world.population.persons[slot.personId];
      if (corrected) return cleanIdentity(world.population, person, asOf);
      const applied: NoiseType[] = [];
      const id = noisyIdentity(ctx, `${seedRoot}/${rec.key}/${i}`, person, asOf, slot.relativeId, applied);
      if (logNow) p.noise[i] = applied;
      return id;
    });
    if (logNow) {
      p.emitted = true;
      if (p.noise.some((x) => x && x.length > 0) && lifecycle.chance(profile.correctionRate)) {
        const at = k + 1 + lifecycle.int(3);
        if (at < n && at < p.withdrawnAt) p.correctedAt = at;
      }
    }
    const eventValues = spec.columns.map((c) => {
      const v = c.get(rec, cut);
      if (v === null || v === undefined) return '';
      return c.type === 'date' ? formatDay(Number(v), spec.dateFormat) : String(v);
    });
    const actionValue = spec.actionColumn ? [spec.actionColumn[action]] : [];
    if (spec.format === 'csv') return [rec.key, ...actionValue, ...renderIdentity(identities[0], spec.person, spec.dateFormat), ...eventValues];
    const obj: Record<string, unknown> = { [spec.keyColumn]: rec.key };
    if (spec.actionColumn) obj[spec.actionColumn.name] = actionValue[0];
    spec.columns.forEach((c, i) => (obj[c.name] = eventValues[i] === '' ? null : eventValues[i]));
    obj[spec.personsField ?? 'persons'] = identities.map((id, i) => {
      const values = renderIdentity(id, spec.person, spec.dateFormat);
      const person: Record<string, unknown> = { person_ref: `${rec.key}/${i + 1}`, role: rec.slots[i].role };
      identityCols.forEach((c, j) => {
        if (values[j] !== '') person[c.name] = values[j];
      });
      return person;
    });
    return obj;
  };

  for (let k = 0; k < n; k++) {
    const cut = cuts[k];
    const prev = prevCut(k);
    sink.beginDelivery(k, cut);
    let rows = 0;
    for (const p of planned) {
      if (p.first < 0 || k < p.first) continue;
      const rec = p.rec;
      if (spec.kind === 'snapshot') {
        const open = rec.start <= cut && (rec.end === null || rec.end > prev);
        if (open && k < p.withdrawnAt) { sink.row(render(p, k, 'insert')); rows++; }
        continue;
      }
      if (k === p.first) { sink.row(render(p, k, 'insert')); rows++; continue; }
      if (k === p.withdrawnAt) { sink.row(render(p, k, 'delete')); rows++; continue; }
      if (k > p.withdrawnAt) continue;
      if (spec.deleteOnEnd && rec.end !== null && rec.end <= prev) continue;
      const closed = rec.end !== null && rec.end > prev && rec.end <= cut;
      const moved = spec.tracksMoves === true && (rec.end === null || rec.end > prev) &&
        world.population.persons[rec.slots[0].personId].residences.some((r) => r.from > prev && r.from <= cut);
      if (closed && spec.deleteOnEnd) { sink.row(render(p, k, 'delete')); rows++; continue; }
      if (closed || moved || k === p.correctedAt) { sink.row(render(p, k, 'update')); rows++; }
    }
    sink.endDelivery(k);
    rowsPerDelivery.push(rows);
  }
  if (sink.finalRow) {
    const last = n - 1;
    for (const p of planned) {
      if (!p.emitted || p.withdrawnAt <= last || (p.rec.end !== null && p.rec.end <= cuts[last])) continue;
      sink.finalRow(render(p, last, 'insert'), p.rec);
    }
  }
  return { spec, header, columns, cuts, planned, rowsPerDelivery };
}
