import { Day, dayFromYmd, ymdFromDay } from '../core/dates';
import { makePncId } from '../core/identifiers';
import { Rng, WeightedTable } from '../core/rng';
import { Criterion } from '../criteria/rules';
import { Tables } from '../core/tables';
import { AttendanceTerm, EventKind, FAMILY_ROLES, Household, LifeEvent, Person, Term } from './model';
import { Population } from './simulate';

export interface EventConfig {
  /** Multiplies the chance that a family has problems; 1 reproduces the seed's Liverpool counts. */
  troubleScale: number;
}

export interface FamilyAtRef {
  householdId: number;
  members: Array<{ personId: number; role: string }>;
  decile: number;
  /** Problems the family was given; the truth is what the rules find in its events. */
  latent: Criterion[];
}

export interface LifeHistory {
  events: LifeEvent[];
  attendance: AttendanceTerm[];
  terms: Term[];
  families: FamilyAtRef[];
  /** Households that rent from a social landlord, with the tenancy start. */
  socialTenancies: Map<number, Day>;
}

const YEAR = 365.2425;
const K_PROBLEMS = new WeightedTable([1, 2, 3, 4, 5, 6], [44, 27, 15, 9, 4, 1]);
const CATEGORY_WEIGHTS: Array<[Criterion, number]> = [['children', 24], ['work', 20], ['health', 17], ['school', 14], ['crime', 12], ['domestic-abuse', 13]];
const OFFENCES = new WeightedTable(
  ['105A', '8N', '46', '28E', '58A', '92A', '8L', '30C', '49', '37', '9A', '66'],
  [14, 12, 14, 6, 12, 10, 6, 4, 6, 4, 4, 8],
);
const CP_CATEGORIES = new WeightedTable(['NEGLECT', 'EMOTIONAL', 'PHYSICAL', 'SEXUAL', 'MULTIPLE'], [48, 35, 8, 4, 5]);
const CIN_NEEDS = new WeightedTable(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9'], [55, 8, 3, 14, 2, 2, 1, 5, 10]);
const OOW_BENEFITS = new WeightedTable(['UC-SEARCH', 'ESA', 'JSA', 'IS', 'UC-LCW', 'CA'], [30, 30, 12, 14, 8, 6]);

/** The academic terms of the two school years before ref, oldest first. */
export function termsBefore(ref: Day): Term[] {
  const [y, m] = ymdFromDay(ref);
  const lastSummer = m >= 8 ? y : y - 1;
  const terms: Term[] = [];
  for (const year of [lastSummer - 2, lastSummer - 1]) {
    terms.push(
      { index: 0, name: `autumn ${year}`, start: dayFromYmd(year, 9, 4), end: dayFromYmd(year, 12, 20) },
      { index: 0, name: `spring ${year + 1}`, start: dayFromYmd(year + 1, 1, 7), end: dayFromYmd(year + 1, 3, 29) },
      { index: 0, name: `summer ${year + 1}`, start: dayFromYmd(year + 1, 4, 15), end: dayFromYmd(year + 1, 7, 19) },
    );
  }
  terms.forEach((t, i) => (t.index = i));
  return terms;
}

export function generateLifeHistory(rng: Rng, _tables: Tables, pop: Population, start: Day, ref: Day, cfg: EventConfig): LifeHistory {
  return new HistoryBuilder(rng, pop, start, ref, cfg, _tables).build();
}

class HistoryBuilder {
  private readonly events: LifeEvent[] = [];
  private readonly attendance: AttendanceTerm[] = [];
  private readonly terms: Term[];
  private readonly families: FamilyAtRef[] = [];
  private readonly socialTenancies = new Map<number, Day>();
  private readonly inDependentFamily: Uint8Array;
  private readonly schoolTrouble = new Map<number, 'low' | 'near'>();
  private readonly categories = new WeightedTable(CATEGORY_WEIGHTS.map((c) => c[0]), CATEGORY_WEIGHTS.map((c) => c[1]));

  constructor(
    private readonly rng: Rng,
    private readonly pop: Population,
    private readonly start: Day,
    private readonly ref: Day,
    private readonly cfg: EventConfig,
    private readonly tables: Tables,
  ) {
    this.terms = termsBefore(ref);
    this.inDependentFamily = new Uint8Array(pop.persons.length);
  }

  build(): LifeHistory {
    this.collectFamilies();
    this.tenancies(this.rng.fork('tenancies'));
    const fr = this.rng.fork('family-problems');
    for (const f of this.families) this.familyProblems(fr, f);
    const br = this.rng.fork('background');
    for (const p of this.pop.persons) this.background(br, p);
    this.childHistory(this.rng.fork('child-history'));
    this.births(this.rng.fork('maternity'));
    this.schoolAttendance(this.rng.fork('attendance'));
    this.assignPnc();
    this.events.forEach((e, i) => (e.id = i));
    return { events: this.events, attendance: this.attendance, terms: this.terms, families: this.families, socialTenancies: this.socialTenancies };
  }

  private ageAt(p: Person, day: Day): number {
    return (day - p.dob) / YEAR;
  }

  private decileOf(hh: Household): number {
    const a = this.pop.pool.addresses[hh.addresses[hh.addresses.length - 1].addressId];
    return this.tables.lsoas[a.lsoa].imdDecile;
  }

  private collectFamilies(): void {
    const byHh = new Map<number, Array<{ personId: number; role: string }>>();
    for (const m of this.pop.memberships) {
      if (m.to !== null || !FAMILY_ROLES.has(m.role)) continue;
      const list = byHh.get(m.householdId) ?? [];
      list.push({ personId: m.personId, role: m.role });
      byHh.set(m.householdId, list);
    }
    for (const [hhId, members] of byHh) {
      const hh = this.pop.households[hhId];
      if (hh.type === 'shared') continue;
      const dependent = members.some((m) => m.role === 'child' && this.ageAt(this.pop.persons[m.personId], this.ref) < 18);
      if (!dependent) continue;
      for (const m of members) this.inDependentFamily[m.personId] = 1;
      this.families.push({ householdId: hhId, members, decile: this.decileOf(hh), latent: [] });
    }
  }

  private tenancies(r: Rng): void {
    for (const hh of this.pop.households) {
      const d = this.decileOf(hh);
      const p = d <= 2 ? 0.45 : d <= 6 ? 0.25 : 0.08;
      if (hh.type !== 'shared' && r.chance(p)) this.socialTenancies.set(hh.id, hh.addresses[hh.addresses.length - 1].from - r.int(3000));
    }
  }

  private add(kind: EventKind, personId: number, start: Day, end: Day | null, code: string, value = 0, related: LifeEvent['related'] = []): LifeEvent {
    const e: LifeEvent = { id: 0, kind, personId, start, end, code, value, related };
    this.events.push(e);
    return e;
  }

  /** A day within the last `days` days before ref. */
  private recent(r: Rng, days = 330): Day {
    return this.ref - 1 - r.int(days);
  }

  /** A day in the simulated window but before the criteria look-back: a near miss. */
  private old(r: Rng, lookback = 365): Day {
    const span = this.ref - lookback - 30 - this.start;
    return this.start + r.int(Math.max(1, span));
  }

  // ---- families with dependent children --------------------------------------------------

  private familyProblems(r: Rng, f: FamilyAtRef): void {
    const hh = this.pop.households[f.householdId];
    const base = f.decile <= 1 ? 0.148 : f.decile <= 3 ? 0.092 : f.decile <= 6 ? 0.053 : 0.025;
    const typeFactor = hh.type === 'lone-parent' ? 1.5 : hh.type === 'step-family' ? 1.3 : 1;
    const pTrouble = Math.min(0.9, base * typeFactor * this.cfg.troubleScale);
    if (r.chance(pTrouble)) {
      const k = K_PROBLEMS.pick(r);
      const chosen = new Set<Criterion>();
      for (let tries = 0; chosen.size < k && tries < 30; tries++) {
        const c = this.categories.pick(r);
        if (!chosen.has(c) && this.qualifying(r, f, c)) chosen.add(c);
      }
      f.latent = [...chosen];
    }
    // Near misses: events that look like a problem but fall outside the rules' windows or thresholds.
    if (r.chance(f.latent.length > 0 ? 0.5 : 0.22)) this.nearMiss(r, f);
  }

  private roles(f: FamilyAtRef) {
    const persons = f.members.map((m) => ({ p: this.pop.persons[m.personId], role: m.role }));
    const adults = persons.filter((x) => x.role !== 'child' && this.ageAt(x.p, this.ref) >= 18).map((x) => x.p);
    const kids = persons.filter((x) => x.role === 'child' && this.ageAt(x.p, this.ref) < 18).map((x) => x.p);
    return { adults, kids };
  }

  private qualifying(r: Rng, f: FamilyAtRef, c: Criterion): boolean {
    const { adults, kids } = this.roles(f);
    if (adults.length === 0 || kids.length === 0) return false;
    const adult = r.pick(adults);
    const teens = kids.filter((k) => this.ageAt(k, this.ref) >= 10);
    const pupils = kids.filter((k) => k.upn !== null && this.ageAt(k, this.ref) >= 5 && this.ageAt(k, this.ref) < 16.5);
    switch (c) {
      case 'crime': {
        const x = r.next();
        if (teens.length > 0 && x < 0.45) {
          const t = r.pick(teens);
          const day = this.recent(r);
          this.add('offence', t.id, day, null, `${OFFENCES.pick(r)}/P`);
          if (r.chance(0.6)) this.add('yot', t.id, day + r.range(20, 60) > this.ref ? day : day + r.range(20, 60), null, r.pick(['YRO', 'RO', 'YC', 'YCC']));
        } else if (x < 0.75) {
          this.add('asb', teens.length > 0 && r.chance(0.4) ? r.pick(teens).id : adult.id, this.recent(r), null, r.pick(['ASB-NUISANCE', 'ASB-PERSONAL', 'ASB-ENVIRONMENTAL']));
        } else {
          const start = this.recent(r, 500);
          this.add('probation', adult.id, start, start + r.range(180, 720) > this.ref ? null : start + r.range(180, 720), r.pick(['CO', 'SSO', 'LICENCE']));
          this.add('offence', adult.id, start - r.range(30, 200), null, `${OFFENCES.pick(r)}/P`);
        }
        return true;
      }
      case 'school': {
        if (pupils.length === 0) return false;
        const kid = r.pick(pupils);
        const x = r.next();
        if (x < 0.6) this.schoolTrouble.set(kid.id, 'low');
        else if (x < 0.75) {
          const t0 = this.terms[this.terms.length - 3].start;
          for (let i = 0, n = r.range(3, 5); i < n; i++) this.add('exclusion', kid.id, t0 + r.int(this.ref - t0 - 75), null, 'FIXED', r.range(1, 5));
        } else if (x < 0.8) this.add('exclusion', kid.id, this.recent(r, 300), null, 'PERM');
        else if (x < 0.9) this.add('pru', kid.id, this.recent(r, 400), null, r.pick(['PRU', 'AP-BEHAVIOUR']));
        else this.add('cme', kid.id, this.recent(r), null, 'CME');
        return true;
      }
      case 'children': {
        const kid = r.pick(kids);
        const age = this.ageAt(kid, this.ref);
        const x = r.next();
        const start = this.recent(r, 600);
        const end = (d: number) => (start + d >= this.ref ? null : start + d);
        if (age >= 2 && age < 3.5 && x < 0.08) this.add('ey-not-taken', kid.id, this.recent(r, 200), null, 'EY2');
        else if (x < 0.35) this.add('cin', kid.id, start, end(r.range(120, 700)), CIN_NEEDS.pick(r));
        else if (x < 0.5) {
          const s47 = this.add('cin', kid.id, start, end(r.range(200, 700)), 'N1');
          this.add('cp', kid.id, s47.start + r.range(10, 40), end(r.range(250, 700)), CP_CATEGORIES.pick(r));
        } else if (x < 0.8) this.add('early-help', kid.id, start, end(r.range(90, 400)), r.pick(['EHA', 'TAF']));
        else if (x < 0.88 && age >= 11) this.add('missing', kid.id, this.recent(r), null, 'MISSING', r.range(1, 4));
        else if (x < 0.91 && age >= 11) this.add('cse', kid.id, this.recent(r), null, r.pick(['CSE-MEDIUM', 'CSE-HIGH']));
        else if (x < 0.94 && age >= 8) this.add('young-carer', kid.id, start, null, 'YC');
        else this.add('camhs', kid.id, start, end(r.range(60, 400)), r.pick(['EMOTIONAL', 'BEHAVIOUR', 'ANXIETY', 'SELF-HARM']));
        return true;
      }
      case 'work': {
        const neet = kids.filter((k) => this.ageAt(k, this.ref) >= 16);
        const x = r.next();
        if (neet.length > 0 && x < 0.15) this.add('neet', r.pick(neet).id, this.recent(r, 150), null, r.pick(['540', '610', '620']));
        else if (x < 0.82 || !this.socialTenancies.has(f.householdId)) {
          const start = this.ref - r.range(30, 1000);
          this.add('benefit', adult.id, start, r.chance(0.8) ? null : this.ref - r.range(5, 150), OOW_BENEFITS.pick(r));
        } else {
          this.add('rent-arrears', adult.id, this.recent(r, 170), null, 'ARREARS', r.range(350, 2600), [{ personId: -1, role: `household:${f.householdId}` }]);
        }
        return true;
      }
      case 'domestic-abuse': {
        const victim = adults.find((a) => a.sex === 'F') ?? adult;
        const perp = adults.find((a) => a !== victim);
        const exPartner = kids.map((k) => k.fatherId).find((id) => id >= 0 && id !== victim.id && !adults.some((a) => a.id === id));
        const perpId = perp?.id ?? exPartner ?? -1;
        const day = this.recent(r);
        const related = [{ personId: perpId, role: 'perpetrator' }, ...kids.filter(() => r.chance(0.6)).map((k) => ({ personId: k.id, role: 'child-present' }))];
        const x = r.next();
        this.add('domestic', victim.id, day, null, r.pick(['DA-VIOLENCE', 'DA-VERBAL', 'DA-CONTROLLING']), r.range(1, 3), related);
        if (x < 0.35) this.add('marac', victim.id, day + 14 > this.ref ? day : day + 14, null, 'MARAC', r.range(14, 24), related.slice(0, 1));
        if (x < 0.55 && x >= 0.2) this.add('da-support', victim.id, day, null, r.pick(['IDVA', 'REFUGE', 'OUTREACH']), 0, related.slice(0, 1));
        return true;
      }
      case 'health': {
        const babies = kids.filter((k) => k.dob > this.ref - 330 && k.motherId >= 0 && adults.some((a) => a.id === k.motherId));
        const x = r.next();
        if (babies.length > 0 && x < 0.5) {
          const b = babies[0];
          this.add('maternity', b.motherId, b.dob, null, 'VULNERABLE', 0, [{ personId: b.id, role: 'baby' }]);
        } else if (x < 0.7) {
          this.add('mh', adult.id, this.recent(r, 500), r.chance(0.5) ? null : this.ref - r.range(10, 300), r.pick(['DEPRESSION', 'ANXIETY', 'PSYCHOSIS', 'PERSONALITY', 'PTSD']));
        } else {
          this.add('substance', adult.id, this.recent(r, 500), r.chance(0.5) ? null : this.ref - r.range(10, 300), r.pick(['ALCOHOL', 'OPIATE', 'CANNABIS', 'CRACK', 'NON-OPIATE']));
        }
        return true;
      }
      default: {
        const never: never = c;
        throw new Error(`unknown criterion ${String(never)}`);
      }
    }
  }

  private nearMiss(r: Rng, f: FamilyAtRef): void {
    const { adults, kids } = this.roles(f);
    if (adults.length === 0 || kids.length === 0) return;
    const adult = r.pick(adults);
    const kid = r.pick(kids);
    switch (r.int(7)) {
      case 0: this.add('offence', adult.id, this.recent(r), null, `${OFFENCES.pick(r)}/${r.chance(0.5) ? 'P' : 'N'}`); break;
      case 1: { const s = this.old(r); this.add('early-help', kid.id, s, s + r.range(60, 200), 'EHA'); break; }
      case 2: { const s = this.old(r, 183); this.add('benefit', adult.id, s - 400, s, OOW_BENEFITS.pick(r)); break; }
      case 3: if (kid.upn) this.schoolTrouble.set(kid.id, 'near'); break;
      case 4: this.add('offence', kid.id, this.old(r), null, `${OFFENCES.pick(r)}/P`); break;
      case 5: { const s = this.old(r); this.add('mh', adult.id, s - 200, s, 'ANXIETY'); break; }
      default: this.add('benefit', adult.id, this.ref - r.range(100, 900), null, r.pick(['HB', 'CTR', 'UC-WORK', 'DLA', 'PIP']));
    }
  }

  // ---- everyone else ---------------------------------------------------------------------------

  private background(r: Rng, p: Person): void {
    if (this.inDependentFamily[p.id]) return;
    const lastDay = p.dod ?? this.ref;
    const age = this.ageAt(p, lastDay);
    if (age < 16) return;
    const res = p.residences[p.residences.length - 1];
    if (!res) return;
    const d = this.tables.lsoas[this.pop.pool.addresses[res.addressId].lsoa].imdDecile;
    const dep = d <= 2 ? 1.6 : d <= 6 ? 1 : 0.45;
    const from = Math.max(this.start, res.from - 400, p.dob + 16 * 365);
    const span = Math.max(1, lastDay - from);
    const when = () => from + r.int(span);
    const young = age < 35 ? 1.8 : age < 50 ? 1 : 0.3;
    const male = p.sex === 'M' ? 1 : 0.3;
    if (r.chance(0.035 * dep * young * male)) {
      const n = 1 + (r.chance(0.3) ? r.range(1, 4) : 0);
      for (let i = 0; i < n; i++) {
        const day = when();
        const proven = r.chance(0.55);
        this.add('offence', p.id, day, null, `${OFFENCES.pick(r)}/${proven ? 'P' : 'N'}`);
        if (proven && r.chance(0.25)) this.add('probation', p.id, day + 30, day + 30 + r.range(180, 540) < this.ref ? day + 30 + r.range(180, 540) : null, r.pick(['CO', 'SSO', 'LICENCE']));
      }
    }
    if (r.chance(0.012 * dep * young)) this.add('asb', p.id, when(), null, r.pick(['ASB-NUISANCE', 'ASB-PERSONAL', 'ASB-ENVIRONMENTAL']));
    if (age >= 18 && r.chance(0.07 * dep)) {
      const s = when();
      this.add('mh', p.id, s, r.chance(0.5) ? null : Math.min(this.ref - 1, s + r.range(30, 400)), r.pick(['DEPRESSION', 'ANXIETY', 'PSYCHOSIS', 'PERSONALITY', 'PTSD', 'DEMENTIA']));
    }
    if (age >= 18 && r.chance(0.012 * dep * young)) this.add('substance', p.id, when(), null, r.pick(['ALCOHOL', 'OPIATE', 'CANNABIS', 'CRACK', 'NON-OPIATE']));
    if (age >= 18 && age < 66 && r.chance(0.14 * dep)) {
      const s = this.start - r.int(900) + r.int(span);
      this.add('benefit', p.id, s, r.chance(0.6) ? null : Math.min(this.ref - 1, s + r.range(60, 700)), OOW_BENEFITS.pick(r));
    } else if (age >= 66 && r.chance(0.18 * dep)) {
      this.add('benefit', p.id, this.start - r.int(2000), null, 'PC');
    }
    if (p.householdId >= 0 && this.socialTenancies.has(p.householdId) && this.pop.memberships[p.membership].role === 'head' && r.chance(0.1)) {
      this.add('rent-arrears', p.id, when(), null, 'ARREARS', r.range(100, 1800), [{ personId: -1, role: `household:${p.householdId}` }]);
    }
    if (age < 40 && r.chance(0.006 * dep)) this.add('homeless', p.id, when(), null, r.pick(['PREVENTION', 'RELIEF', 'MAIN-DUTY']));
    if (p.householdId >= 0 && p.sex === 'F' && age < 60 && this.pop.memberships[p.membership].role === 'partner' && r.chance(0.02 * dep)) {
      const hh = this.pop.households[p.householdId];
      const perp = hh.members.find((id) => id !== p.id && this.pop.memberships[this.pop.persons[id].membership]?.role === 'head');
      this.add('domestic', p.id, when(), null, r.pick(['DA-VIOLENCE', 'DA-VERBAL', 'DA-CONTROLLING']), r.range(1, 3), perp !== undefined ? [{ personId: perp, role: 'perpetrator' }] : []);
    }
  }

  /**
   * Children's services and schools also hold history that no longer counts: episodes closed
   * more than a year ago and the odd fixed-term exclusion (never three in three terms).
   */
  private childHistory(r: Rng): void {
    const closedBy = this.ref - 380;
    for (const p of this.pop.persons) {
      const age = this.ageAt(p, this.ref);
      if (age >= 18 || age < 1 || p.dod !== null) continue;
      const span = Math.max(1, closedBy - 200 - Math.max(this.start, p.dob));
      const from = Math.max(this.start, p.dob);
      const closed = (kind: EventKind, code: string, minDays: number, maxDays: number) => {
        const s = from + r.int(span);
        this.add(kind, p.id, s, Math.min(closedBy, s + r.range(minDays, maxDays)), code);
      };
      if (r.chance(0.015)) closed('early-help', r.pick(['EHA', 'TAF']), 60, 300);
      if (r.chance(0.009)) closed('cin', CIN_NEEDS.pick(r), 60, 400);
      if (age >= 5 && r.chance(0.008)) closed('camhs', r.pick(['EMOTIONAL', 'BEHAVIOUR', 'ANXIETY']), 30, 200);
      if (age >= 11 && r.chance(0.003)) this.add('missing', p.id, from + r.int(span), null, 'MISSING', 1);
      if (p.upn !== null && age >= 7 && r.chance(0.02)) {
        const n = r.range(1, 2);
        for (let i = 0; i < n; i++) {
          const t = r.pick(this.terms);
          this.add('exclusion', p.id, t.start + r.int(Math.max(1, t.end - t.start)), null, 'FIXED', r.range(1, 3));
        }
      }
    }
  }

  private births(r: Rng): void {
    for (const p of this.pop.persons) {
      if (p.dob < this.start || p.motherId < 0) continue;
      // The twin is carried on the first baby's maternity record.
      if (p.twinOf >= 0) continue;
      if (!this.hasVulnerableMaternity(p)) this.add('maternity', p.motherId, p.dob, null, r.chance(0.9) ? 'ROUTINE' : 'ROUTINE-SUPPORT', 0, [{ personId: p.id, role: 'baby' }]);
    }
  }

  private hasVulnerableMaternityIndex: Set<number> | undefined;
  private hasVulnerableMaternity(baby: Person): boolean {
    if (!this.hasVulnerableMaternityIndex) {
      this.hasVulnerableMaternityIndex = new Set(this.events.filter((e) => e.kind === 'maternity').map((e) => e.related[0].personId));
    }
    return this.hasVulnerableMaternityIndex.has(baby.id);
  }

  private schoolAttendance(r: Rng): void {
    const possibleByTerm = [140, 118, 132, 140, 122, 128];
    for (const p of this.pop.persons) {
      if (p.upn === null) continue;
      const [by, bm] = ymdFromDay(p.dob);
      const birthAcademic = bm >= 9 ? by : by - 1;
      const trouble = this.schoolTrouble.get(p.id);
      for (const t of this.terms) {
        const [ty, tm] = ymdFromDay(t.start);
        const yearGroup = (tm >= 9 ? ty : ty - 1) - birthAcademic - 5;
        if (yearGroup < 0 || yearGroup > 11) continue;
        if (p.dod !== null && p.dod < t.end) continue;
        const possible = possibleByTerm[t.index % 6] - (r.chance(0.1) ? r.range(2, 20) : 0);
        const recentTerm = t.index >= this.terms.length - 3;
        let rate: number;
        if (trouble === 'low' && recentTerm) rate = 0.12 + r.next() * 0.2;
        else if (trouble === 'near' && recentTerm) rate = t.index === this.terms.length - 1 ? 0.03 : 0.12;
        else rate = Math.min(0.095, Math.abs(r.normal(0.035, 0.03)));
        const missed = Math.round(possible * rate);
        this.attendance.push({ personId: p.id, term: t.index, possible, missed, unauthorised: Math.round(missed * r.next() * 0.5) });
      }
    }
  }

  private assignPnc(): void {
    let serial = 100000;
    const first = new Map<number, Day>();
    for (const e of this.events) {
      const ids = e.kind === 'offence' || e.kind === 'probation' || e.kind === 'yot' ? [e.personId]
        : e.kind === 'domestic' ? e.related.filter((x) => x.role === 'perpetrator' && x.personId >= 0).map((x) => x.personId) : [];
      for (const id of ids) if (!first.has(id) || (first.get(id) ?? 0) > e.start) first.set(id, e.start);
    }
    for (const [id, day] of [...first.entries()].sort((a, b) => a[0] - b[0])) {
      // Many offenders were first arrested years before the window.
      const year = ymdFromDay(day)[0] - (id % 7);
      this.pop.persons[id].pnc = makePncId(year, serial++ * 7 + (id % 7));
    }
  }
}
