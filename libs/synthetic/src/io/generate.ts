import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ageOn, Day, formatDay, isoDay } from '../core/dates';
import { CRITERIA } from '../criteria/rules';
import { feedCatalogue } from '../feeds/catalogue';
import { FeedRun, feedLayout, runFeed } from '../feeds/deliveries';
import { FeedDescriptor, FeedSpec } from '../feeds/model';
import { NoiseProfile } from '../noise/profile';
import { FAMILY_ROLES } from '../population/model';
import { buildWorld, DEFAULT_WORLD, World, WorldConfig } from '../world';
import { csvLine, LineWriter } from './line-writer';
import { loadTables } from './load-tables';

export const GENERATOR_VERSION = '1.0.0';
export const LINKAGE_FEEDS = { left: 'electoral-register', right: 'gp-registrations' } as const;

export interface GenerateOptions {
  seed: string;
  persons: number;
  out: string;
  profile: NoiseProfile;
  scale?: string;
  world?: Partial<Omit<WorldConfig, 'seed' | 'persons'>>;
  /** Only these feeds (default: all). */
  feeds?: string[];
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface GenerateSummary {
  generator: string;
  seed: string;
  scale: string | null;
  profile: string;
  persons: number;
  households: number;
  families: number;
  familiesWithDependentChildren: number;
  familiesMeeting1: number;
  familiesMeeting2Plus: number;
  feeds: number;
  deliveries: number;
  records: number;
  rows: number;
  recordsPerFeed: Record<string, number>;
  rowsPerFeed: Record<string, number>;
  seconds: number;
  peakRssMiB: number;
}

export const personRef = (id: number) => 'P' + String(id + 1).padStart(7, '0');
export const familyRef = (householdId: number) => 'F' + String(householdId + 1).padStart(7, '0');
export const householdRef = (householdId: number) => 'H' + String(householdId + 1).padStart(7, '0');

const opt = (d: Day | null) => (d === null ? '' : isoDay(d));

export function generate(options: GenerateOptions): GenerateSummary {
  const t0 = process.hrtime.bigint();
  const progress = options.onProgress ?? (() => undefined);
  const tables = loadTables();
  progress('population', 0, 1);
  const world = buildWorld(tables, { ...DEFAULT_WORLD, ...options.world, seed: options.seed, persons: options.persons });
  progress('population', 1, 1);
  const out = options.out;
  mkdirSync(join(out, 'feeds'), { recursive: true });
  mkdirSync(join(out, 'truth'), { recursive: true });
  const familyCount = writePopulationTruth(world, out);

  const specs = feedCatalogue().filter((s) => !options.feeds || options.feeds.includes(s.name));
  const records = new LineWriter(join(out, 'truth', 'records.csv'));
  records.line('feed,record_id,person_id,parent_record_id,duplicate_of,first_delivery,corrected_in,withdrawn_in,noise');
  const descriptors: FeedDescriptor[] = [];
  const recordsPerFeed: Record<string, number> = {};
  const rowsPerFeed: Record<string, number> = {};
  const linkageState: Record<string, number> = {};
  const linkagePersons: Record<string, Map<string, number>> = {};
  specs.forEach((spec, i) => {
    progress(`feed ${spec.name}`, i, specs.length);
    const isLinkage = spec.name === LINKAGE_FEEDS.left || spec.name === LINKAGE_FEEDS.right;
    const keep = isLinkage ? new Map<string, number>() : null;
    const { run, files } = writeFeed(world, tables, spec, options.profile, out, keep);
    if (keep) {
      linkagePersons[spec.name] = keep;
      linkageState[spec.name] = keep.size;
    }
    let emitted = 0;
    for (const p of run.planned) {
      if (!p.emitted) continue;
      const slots = spec.format === 'csv' ? p.rec.slots.slice(0, 1) : p.rec.slots;
      slots.forEach((slot, si) => {
        emitted++;
        const ref = spec.format === 'csv' ? p.rec.key : `${p.rec.key}/${si + 1}`;
        records.line(csvLine([
          spec.name, ref, personRef(slot.personId), spec.format === 'csv' ? '' : p.rec.key, p.rec.duplicateOf ? (spec.format === 'csv' ? p.rec.duplicateOf : `${p.rec.duplicateOf}/${si + 1}`) : '',
          String(p.first + 1), Number.isFinite(p.correctedAt) ? String(p.correctedAt + 1) : '', Number.isFinite(p.withdrawnAt) ? String(p.withdrawnAt + 1) : '',
          (p.noise[si] ?? []).join('|'),
        ]));
      });
    }
    recordsPerFeed[spec.name] = emitted;
    rowsPerFeed[spec.name] = run.rowsPerDelivery.reduce((a, b) => a + b, 0);
    descriptors.push(describe(run, files, emitted));
  });
  records.close();
  const linkage = writeLinkage(out, linkageState, descriptors);
  writeLinkagePairs(out, linkagePersons);

  const withDependants = world.familyTruth.filter((f) => f.result.eligible);
  const met1 = withDependants.filter((f) => f.result.met.length === 1).length;
  const met2 = withDependants.filter((f) => f.result.met.length >= 2).length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const summary: GenerateSummary = {
    generator: `@hub/synthetic ${GENERATOR_VERSION}`,
    seed: options.seed,
    scale: options.scale ?? null,
    profile: `${options.profile.name}`,
    persons: world.population.persons.length,
    households: world.population.households.length,
    families: familyCount,
    familiesWithDependentChildren: withDependants.length,
    familiesMeeting1: met1,
    familiesMeeting2Plus: met2,
    feeds: specs.length,
    deliveries: descriptors.reduce((a, d) => a + d.deliveries.length, 0),
    records: Object.values(recordsPerFeed).reduce((a, b) => a + b, 0),
    rows: Object.values(rowsPerFeed).reduce((a, b) => a + b, 0),
    recordsPerFeed,
    rowsPerFeed,
    seconds: Math.round(seconds * 100) / 100,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  const manifest = {
    generator: summary.generator,
    seed: options.seed,
    scale: summary.scale,
    persons_requested: options.persons,
    world: world.config,
    reference_date: isoDay(world.ref),
    history_start: isoDay(world.start),
    profile: options.profile,
    criteria: { rules: 'Troubled Families phase 2 (shared/domain.md), see libs/synthetic/src/criteria/rules.ts', as_at: isoDay(world.ref), criteria: CRITERIA },
    truth: {
      'truth/persons.csv': 'one row per true person: true names, date of birth, identifiers, parents, twin/namesake links',
      'truth/addresses.csv': 'every address: UPRN, lines, postcode, real LSOA code and IMD 2019 decile',
      'truth/households.csv': 'household id, type, from, to',
      'truth/household_addresses.csv': 'where each household lived, from/to',
      'truth/household_members.csv': 'who belonged to each household, role, from/to',
      'truth/family_members.csv': 'family units (parents/partners and children) over time, from/to',
      'truth/family_criteria.csv': 'families with dependent children at the reference date and the criteria they truly meet',
      'truth/records.csv': 'every source record (nested persons included): its true person, duplicate-of, first delivery, correction and withdrawal, and the errors applied',
      'truth/linkage_pairs.csv': 'the linkage case: true pairs between the two register extracts',
    },
    linkage,
    feeds: descriptors,
    // Timings and memory differ between runs; the manifest must not, so they stay out of it.
    summary: { ...summary, seconds: undefined, peakRssMiB: undefined },
  };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  summary.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return summary;
}

function writeFeed(world: World, tables: ReturnType<typeof loadTables>, spec: FeedSpec, profile: NoiseProfile, out: string, linkage: Map<string, number> | null) {
  const dir = join(out, 'feeds', spec.name);
  mkdirSync(dir, { recursive: true });
  const ext = spec.format === 'csv' ? 'csv' : 'jsonl';
  const eol = spec.encoding === 'windows-1252' ? '\r\n' : '\n';
  const files: string[] = [];
  let writer: LineWriter | null = null;
  const { header } = feedLayout(spec);
  let linkageWriter: LineWriter | null = null;
  if (linkage) {
    mkdirSync(join(out, 'linkage'), { recursive: true });
    linkageWriter = new LineWriter(join(out, 'linkage', `${spec.name}.${ext}`), spec.encoding, eol);
    if (spec.format === 'csv') linkageWriter.line(csvLine(header));
  }
  const run = runFeed(world, tables, spec, profile, {
    beginDelivery(index: number, cut: Day) {
      const file = `${spec.name}_${String(index + 1).padStart(2, '0')}_${formatDay(cut, 'ymd')}.${ext}`;
      files.push(file);
      writer = new LineWriter(join(dir, file), spec.encoding, eol);
      if (spec.format === 'csv') writer.line(csvLine(header));
    },
    row(value) {
      writer?.line(Array.isArray(value) ? csvLine(value) : JSON.stringify(value));
    },
    endDelivery() {
      writer?.close();
      writer = null;
    },
    ...(linkage ? {
      finalRow(value: string[] | Record<string, unknown>, rec: { key: string; slots: Array<{ personId: number }> }) {
        linkageWriter?.line(Array.isArray(value) ? csvLine(value) : JSON.stringify(value));
        linkage.set(rec.key, rec.slots[0].personId);
      },
    } : {}),
  });
  linkageWriter?.close();
  return { run, files };
}

function describe(run: FeedRun, files: string[], records: number): FeedDescriptor {
  const s = run.spec;
  return {
    name: s.name,
    partner: s.partner,
    description: s.description,
    format: s.format,
    encoding: s.encoding,
    kind: s.kind,
    cadence: s.cadence,
    dateFormat: s.dateFormat,
    keyColumn: s.keyColumn,
    actionColumn: s.actionColumn ?? null,
    personsField: s.format === 'jsonl' ? s.personsField ?? 'persons' : null,
    columns: run.columns,
    deliveries: run.cuts.map((c, i) => ({ index: i + 1, cut: isoDay(c), file: `feeds/${s.name}/${files[i]}`, rows: run.rowsPerDelivery[i] })),
    records,
    quality: s.quality,
    duplicateRate: s.duplicateRate ?? -1,
  };
}

function writePopulationTruth(world: World, out: string): number {
  const pop = world.population;
  const t = (name: string) => new LineWriter(join(out, 'truth', name));
  const persons = t('persons.csv');
  persons.line('person_id,forename,middle_names,surname,birth_surname,sex,date_of_birth,date_of_death,nhs_number,ni_number,upn,pnc_id,mother_id,father_id,twin_of,namesake_of,school_urn');
  for (const p of pop.persons) {
    persons.line(csvLine([
      personRef(p.id), p.forename, p.middleName ?? '', p.surnames[p.surnames.length - 1].surname, p.surnames[0].surname, p.sex, isoDay(p.dob), opt(p.dod),
      p.nhs, p.ni ?? '', p.upn ?? '', p.pnc ?? '', p.motherId >= 0 ? personRef(p.motherId) : '', p.fatherId >= 0 ? personRef(p.fatherId) : '',
      p.twinOf >= 0 ? personRef(p.twinOf) : '', p.namesakeOf >= 0 ? personRef(p.namesakeOf) : '', p.school >= 0 ? pop.schools[p.school].urn : '',
    ]));
  }
  persons.close();
  const addresses = t('addresses.csv');
  addresses.line('address_id,uprn,flat,building,house_number,street,locality,town,postcode,lsoa_code,imd_decile');
  for (const a of pop.pool.addresses) {
    const l = world.tables.lsoas[a.lsoa];
    addresses.line(csvLine([String(a.id + 1), a.uprn, a.flat ?? '', a.building ?? '', a.houseNumber, a.street, a.locality, 'Liverpool', a.postcode, l.code, String(l.imdDecile)]));
  }
  addresses.close();
  const households = t('households.csv');
  const hhAddresses = t('household_addresses.csv');
  households.line('household_id,type,from,to');
  hhAddresses.line('household_id,address_id,uprn,from,to');
  for (const h of pop.households) {
    households.line(csvLine([householdRef(h.id), h.type, isoDay(h.from), opt(h.to)]));
    h.addresses.forEach((a, i) => hhAddresses.line(csvLine([householdRef(h.id), String(a.addressId + 1), pop.pool.addresses[a.addressId].uprn, isoDay(a.from), opt(i + 1 < h.addresses.length ? h.addresses[i + 1].from : h.to)])));
  }
  households.close();
  hhAddresses.close();
  const members = t('household_members.csv');
  const family = t('family_members.csv');
  members.line('household_id,person_id,role,from,to');
  family.line('family_id,person_id,role,from,to');
  const familyRoleCount = new Map<number, number>();
  for (const m of pop.memberships) if (FAMILY_ROLES.has(m.role)) familyRoleCount.set(m.householdId, (familyRoleCount.get(m.householdId) ?? 0) + 1);
  const families = new Set<number>();
  for (const m of pop.memberships) {
    members.line(csvLine([householdRef(m.householdId), personRef(m.personId), m.role, isoDay(m.from), opt(m.to)]));
    // A family is a couple or parent(s) with children: a household's family-role members, when there are two or more.
    if (FAMILY_ROLES.has(m.role) && pop.households[m.householdId].type !== 'shared' && (familyRoleCount.get(m.householdId) ?? 0) >= 2) {
      families.add(m.householdId);
      family.line(csvLine([familyRef(m.householdId), personRef(m.personId), m.role === 'child' ? 'child' : 'parent', isoDay(m.from), opt(m.to)]));
    }
  }
  members.close();
  family.close();
  const criteria = t('family_criteria.csv');
  criteria.line(`family_id,as_at,imd_decile,members,dependent_children,criteria_met,${CRITERIA.map((c) => c.replace('-', '_')).join(',')},indicators`);
  for (const f of world.familyTruth) {
    if (!f.result.eligible) continue;
    const deps = f.family.members.filter((m) => m.role === 'child' && ageOn(pop.persons[m.personId].dob, world.ref) < 18).length;
    criteria.line(csvLine([
      familyRef(f.family.householdId), isoDay(world.ref), String(f.family.decile), String(f.family.members.length), String(deps), String(f.result.met.length),
      ...CRITERIA.map((c) => (f.result.met.includes(c) ? '1' : '0')), f.result.indicators.join('|'),
    ]));
  }
  criteria.close();
  return families.size;
}

function writeLinkage(_out: string, state: Record<string, number>, _descriptors: FeedDescriptor[]) {
  if (state[LINKAGE_FEEDS.left] === undefined || state[LINKAGE_FEEDS.right] === undefined) return null;
  return {
    description: 'Two registers as they stand after their last delivery (deltas applied), no duplicates within each; only cross pairs count. Same columns as the feeds, without the action column semantics (every row is current). True pairs: truth/linkage_pairs.csv.',
    left: { feed: LINKAGE_FEEDS.left, file: `linkage/${LINKAGE_FEEDS.left}.csv`, records: state[LINKAGE_FEEDS.left] },
    right: { feed: LINKAGE_FEEDS.right, file: `linkage/${LINKAGE_FEEDS.right}.csv`, records: state[LINKAGE_FEEDS.right] },
    truth: 'truth/linkage_pairs.csv',
  };
}

function writeLinkagePairs(out: string, persons: Record<string, Map<string, number>>): void {
  const left = persons[LINKAGE_FEEDS.left];
  const right = persons[LINKAGE_FEEDS.right];
  if (!left || !right) return;
  const rightByPerson = new Map<number, string>();
  for (const [key, id] of right) rightByPerson.set(id, key);
  const w = new LineWriter(join(out, 'truth', 'linkage_pairs.csv'));
  w.line(`${LINKAGE_FEEDS.left},${LINKAGE_FEEDS.right},person_id`);
  for (const [key, id] of [...left.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const other = rightByPerson.get(id);
    if (other !== undefined) w.line(csvLine([key, other, personRef(id)]));
  }
  w.close();
}
