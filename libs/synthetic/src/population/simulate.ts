import { Day, ymdFromDay } from '../core/dates';
import { LIVERPOOL_LA, makeUpn, NhsNumberAllocator, NiNumberAllocator } from '../core/identifiers';
import { Rng, WeightedTable } from '../core/rng';
import { Sex, Tables } from '../core/tables';
import { AddressPool, buildAddressPool, releaseAddress, takeAddress } from './addresses';
import { Household, HouseholdRole, HouseholdType, Membership, Person, School } from './model';

export interface PopulationConfig {
  persons: number;
  /** Share of births (and of initial children) that are twins. */
  twinRate: number;
  /** Share of household heads given the name and date of birth of another person. */
  namesakeRate: number;
  start: Day;
  ref: Day;
}

export interface Population {
  persons: Person[];
  households: Household[];
  memberships: Membership[];
  pool: AddressPool;
  schools: School[];
}

const YEAR = 365.2425;

/** Share of households of each type, by IMD decile band (deprived 1-2, middle 3-6, affluent 7-10). */
const HOUSEHOLD_MIX: Record<'deprived' | 'middle' | 'affluent', Array<[HouseholdType, number]>> = {
  deprived: [['single', 19], ['single-older', 11], ['couple', 14], ['couple-children', 13], ['lone-parent', 17], ['step-family', 4], ['multigenerational', 4], ['adult-children', 8], ['shared', 10]],
  middle: [['single', 17], ['single-older', 13], ['couple', 22], ['couple-children', 17], ['lone-parent', 11], ['step-family', 3], ['multigenerational', 3], ['adult-children', 7], ['shared', 7]],
  affluent: [['single', 15], ['single-older', 15], ['couple', 28], ['couple-children', 22], ['lone-parent', 6], ['step-family', 2], ['multigenerational', 3], ['adult-children', 6], ['shared', 3]],
};
const KIDS = new WeightedTable([1, 2, 3, 4, 5], [45, 35, 14, 4, 2]);

function band(decile: number): 'deprived' | 'middle' | 'affluent' {
  return decile <= 2 ? 'deprived' : decile <= 6 ? 'middle' : 'affluent';
}

/** Annual probability of death by age (Gompertz, roughly England's life table). */
function annualDeath(age: number): number {
  return Math.min(0.6, 0.00003 * Math.exp(0.098 * age)) + (age < 1 ? 0.004 : 0);
}

function annualFertility(age: number): number {
  if (age < 16 || age > 45) return 0;
  if (age < 20) return 0.025;
  if (age < 25) return 0.065;
  if (age < 30) return 0.095;
  if (age < 35) return 0.1;
  if (age < 40) return 0.055;
  return 0.012;
}

export function simulatePopulation(rng: Rng, tables: Tables, cfg: PopulationConfig): Population {
  return new PopulationBuilder(rng, tables, cfg).build();
}

class PopulationBuilder {
  readonly persons: Person[] = [];
  readonly households: Household[] = [];
  readonly memberships: Membership[] = [];
  readonly pool: AddressPool;
  private readonly singles: number[] = [];
  private readonly mixes: Record<string, WeightedTable<HouseholdType>>;
  private readonly headsBySex: Record<Sex, number[]> = { M: [], F: [] };
  private readonly nhs = new NhsNumberAllocator();

  constructor(private readonly rng: Rng, private readonly tables: Tables, private readonly cfg: PopulationConfig) {
    this.pool = buildAddressPool(rng.fork('addresses'), tables.lsoas, Math.ceil(cfg.persons / 2.3));
    this.mixes = Object.fromEntries(
      Object.entries(HOUSEHOLD_MIX).map(([k, rows]) => [k, new WeightedTable(rows.map((r) => r[0]), rows.map((r) => r[1]))]),
    );
  }

  build(): Population {
    const r = this.rng.fork('initial');
    // Births over the three simulated years add roughly 3.5% to the starting population.
    const initialTarget = Math.round(this.cfg.persons * 0.962);
    while (this.persons.length < initialTarget) this.initialHousehold(r);
    this.simulate(this.rng.fork('timeline'));
    const schools = this.assignIdentifiers(this.rng.fork('identifiers'));
    return { persons: this.persons, households: this.households, memberships: this.memberships, pool: this.pool, schools };
  }

  // ---- people and households -------------------------------------------------------------

  private newPerson(r: Rng, sex: Sex, dob: Day, surname: string, motherId = -1, fatherId = -1): Person {
    const year = ymdFromDay(dob)[0];
    const p: Person = {
      id: this.persons.length,
      sex,
      dob,
      dod: null,
      forename: this.tables.forename(r, sex, year),
      middleName: r.chance(0.7) ? this.tables.forename(r, sex, year) : null,
      surnames: [{ from: dob, surname }],
      nhs: this.nhs.next(),
      ni: null,
      upn: null,
      pnc: null,
      motherId,
      fatherId,
      twinOf: -1,
      namesakeOf: -1,
      residences: [],
      householdId: -1,
      membership: -1,
      school: -1,
    };
    if (p.middleName === p.forename) p.middleName = null;
    this.persons.push(p);
    return p;
  }

  private surname(r: Rng): string {
    const s = this.tables.surnames.pick(r);
    // Hyphenated and double-barrelled surnames, about 1.5% of families.
    return r.chance(0.015) ? `${s}-${this.tables.surnames.pick(r)}` : s;
  }

  private dobForAge(r: Rng, age: number): Day {
    return this.cfg.start - Math.floor((age + r.next()) * YEAR);
  }

  private newHousehold(type: HouseholdType, addressId: number, day: Day): Household {
    const hh: Household = { id: this.households.length, type, addresses: [{ from: day, addressId }], members: [], from: day, to: null };
    this.households.push(hh);
    return hh;
  }

  private join(hh: Household, p: Person, role: HouseholdRole, day: Day): void {
    p.householdId = hh.id;
    p.membership = this.memberships.length;
    this.memberships.push({ householdId: hh.id, personId: p.id, role, from: day, to: null });
    hh.members.push(p.id);
    p.residences.push({ from: day, addressId: hh.addresses[hh.addresses.length - 1].addressId });
  }

  private leave(p: Person, day: Day): void {
    const hh = this.households[p.householdId];
    this.memberships[p.membership].to = day;
    hh.members.splice(hh.members.indexOf(p.id), 1);
    p.householdId = -1;
    p.membership = -1;
    if (hh.members.length === 0) {
      hh.to = day;
      releaseAddress(this.pool, hh.addresses[hh.addresses.length - 1].addressId);
    }
  }

  private moveHousehold(r: Rng, hh: Household, day: Day): void {
    const old = hh.addresses[hh.addresses.length - 1].addressId;
    const addressId = takeAddress(r, this.pool, this.nearbyLsoa(r, old));
    releaseAddress(this.pool, old);
    hh.addresses.push({ from: day, addressId });
    for (const id of hh.members) this.persons[id].residences.push({ from: day, addressId });
  }

  /** Most moves are local: 60% stay in the same postcode district. */
  private nearbyLsoa(r: Rng, addressId: number): number {
    const lsoa = this.pool.addresses[addressId].lsoa;
    if (r.chance(0.6)) return r.pick(this.pool.lsoasByDistrict.get(this.tables.lsoas[lsoa].district) ?? [lsoa]);
    return r.int(this.tables.lsoas.length);
  }

  private role(p: Person): HouseholdRole {
    return this.memberships[p.membership].role;
  }

  private currentSurname(p: Person): string {
    return p.surnames[p.surnames.length - 1].surname;
  }

  /** Heads may be namesakes: same forename, surname and date of birth as someone elsewhere. */
  private head(r: Rng, sex: Sex, age: number, surname: string): Person {
    const pool = this.headsBySex[sex];
    if (pool.length > 20 && r.chance(this.cfg.namesakeRate)) {
      const other = this.persons[r.pick(pool)];
      const p = this.newPerson(r, sex, other.dob, this.currentSurname(other));
      p.forename = other.forename;
      p.namesakeOf = other.id;
      pool.push(p.id);
      return p;
    }
    const p = this.newPerson(r, sex, this.dobForAge(r, age), surname);
    pool.push(p.id);
    return p;
  }

  private marry(r: Rng, wife: Person, husband: Person, day: Day): void {
    const name = this.currentSurname(husband);
    if (name !== this.currentSurname(wife)) wife.surnames.push({ from: Math.max(day, wife.dob + 16 * 365), surname: name });
    void r;
  }

  private initialHousehold(r: Rng): void {
    const S = this.cfg.start;
    const li = r.int(this.tables.lsoas.length);
    const decile = this.tables.lsoas[li].imdDecile;
    const type = this.mixes[band(decile)].pick(r);
    const addressId = takeAddress(r, this.pool, li);
    const hh = this.newHousehold(type, addressId, S);
    const dep = decile <= 2 ? 2 : 0;
    const clampAge = (a: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(a)));
    switch (type) {
      case 'single': {
        const p = this.head(r, r.chance(0.55) ? 'M' : 'F', r.chance(0.5) ? r.range(18, 40) : r.range(40, 70), this.surname(r));
        this.join(hh, p, 'head', S);
        this.singles.push(hh.id);
        break;
      }
      case 'single-older': {
        const p = this.head(r, r.chance(0.65) ? 'F' : 'M', clampAge(r.normal(78, 8), 65, 101), this.surname(r));
        this.join(hh, p, 'head', S);
        break;
      }
      case 'couple': {
        const age = r.chance(0.4) ? r.range(20, 45) : clampAge(r.normal(62, 10), 40, 95);
        this.couple(r, hh, age, r.chance(0.03));
        break;
      }
      case 'couple-children':
      case 'step-family': {
        const motherAge = r.range(20, 50);
        const [man, woman] = this.couple(r, hh, motherAge, false);
        const step = type === 'step-family';
        // In a step-family the mother's children carry their absent father's surname.
        const kidsSurname = step ? this.surname(r) : r.chance(0.85) ? this.currentSurname(man) : this.currentSurname(woman);
        this.children(r, hh, woman, step ? null : man, motherAge, kidsSurname, clampAge(r.normal(26 - dep, 5), 16, 40));
        if (step && r.chance(0.4)) this.children(r, hh, woman, man, Math.min(motherAge, 42), this.currentSurname(man), Math.max(motherAge - 6, 18));
        break;
      }
      case 'lone-parent': {
        const mum = r.chance(0.9);
        const age = r.range(18, 52);
        const parent = this.head(r, mum ? 'F' : 'M', age, this.surname(r));
        this.join(hh, parent, 'head', S);
        const kidsSurname = r.chance(0.55) ? this.currentSurname(parent) : this.surname(r);
        this.children(r, hh, mum ? parent : null, mum ? null : parent, this.ageAt(parent, S), kidsSurname, clampAge(r.normal(24 - dep, 5), 16, 40));
        break;
      }
      case 'multigenerational': {
        const gAge = r.range(58, 85);
        const surname = this.surname(r);
        const gma = this.head(r, 'F', gAge, surname);
        this.join(hh, gma, 'grandparent', S);
        let gpa: Person | null = null;
        if (r.chance(0.5)) {
          gpa = this.newPerson(r, 'M', this.dobForAge(r, gAge + r.range(0, 4)), surname);
          this.join(hh, gpa, 'grandparent', S);
        }
        const parentAge = Math.max(18, gAge - r.range(20, 35));
        const parent = this.newPerson(r, 'F', this.dobForAge(r, parentAge), surname, gma.id, gpa?.id ?? -1);
        this.join(hh, parent, 'head', S);
        let father: Person | null = null;
        if (r.chance(0.4)) {
          father = this.newPerson(r, 'M', this.dobForAge(r, parentAge + r.range(0, 5)), this.surname(r));
          this.join(hh, father, 'partner', S);
        }
        this.children(r, hh, parent, father, parentAge, father ? this.currentSurname(father) : surname, clampAge(r.normal(23, 4), 16, 40));
        break;
      }
      case 'adult-children': {
        const age = r.range(42, 66);
        const [man, woman] = r.chance(0.65) ? this.couple(r, hh, age, false) : [null, this.head(r, 'F', age, this.surname(r))];
        if (!man) this.join(hh, woman, 'head', S);
        const surname = man ? this.currentSurname(man) : this.currentSurname(woman);
        const n = r.range(1, 2);
        for (let i = 0; i < n; i++) {
          const kidAge = r.range(18, Math.min(30, age - 17));
          const kid = this.newPerson(r, r.chance(0.5) ? 'M' : 'F', this.dobForAge(r, kidAge), surname, woman.id, man?.id ?? -1);
          this.join(hh, kid, 'child', S);
        }
        if (r.chance(0.3) && age < 55) this.children(r, hh, woman, man, age, surname, age - r.range(5, 16), 1);
        break;
      }
      case 'shared': {
        const n = r.range(2, 5);
        for (let i = 0; i < n; i++) {
          const p = this.newPerson(r, r.chance(0.5) ? 'M' : 'F', this.dobForAge(r, r.range(18, 32)), this.surname(r));
          this.join(hh, p, i === 0 ? 'head' : 'sharer', S);
        }
        break;
      }
      default: {
        const never: never = type;
        throw new Error(`unknown household type ${String(never)}`);
      }
    }
  }

  private ageAt(p: Person, day: Day): number {
    return Math.floor((day - p.dob) / YEAR);
  }

  /** A couple, man first. Older couples are more often married, and a wife then has a birth surname. */
  private couple(r: Rng, hh: Household, womanAge: number, sameSex: boolean): [Person, Person] {
    const S = this.cfg.start;
    const surname = this.surname(r);
    const man = this.head(r, sameSex && r.chance(0.5) ? 'F' : 'M', Math.max(18, womanAge + r.range(-2, 6)), surname);
    const woman = this.newPerson(r, sameSex ? man.sex : 'F', this.dobForAge(r, womanAge), this.surname(r));
    this.join(hh, man, 'head', S);
    this.join(hh, woman, 'partner', S);
    if (!sameSex && r.chance(womanAge > 45 ? 0.75 : 0.5)) {
      this.marry(r, woman, man, Math.max(woman.dob + Math.floor(r.range(20, Math.max(20, womanAge - 1)) * YEAR), S - 40 * 365));
    }
    return [man, woman];
  }

  /** Children of a mother of a given age; ages follow from her age at first birth and spacing. */
  private children(r: Rng, hh: Household, mother: Person | null, father: Person | null, parentAge: number, surname: string, ageAtFirst: number, count?: number): void {
    const n = count ?? KIDS.pick(r);
    const first = Math.max(16, ageAtFirst);
    let age = parentAge >= first ? Math.min(17, parentAge - first) : r.range(0, 2);
    let made = 0;
    let prev: Person | null = null;
    while (made < n && age >= 0) {
      const twin = prev !== null && r.chance(this.cfg.twinRate);
      const dob = twin && prev ? prev.dob : this.dobForAge(r, age);
      const kid = this.newPerson(r, r.chance(0.51) ? 'M' : 'F', dob, surname, mother?.id ?? -1, father?.id ?? -1);
      if (twin && prev) kid.twinOf = prev.id;
      this.join(hh, kid, 'child', this.cfg.start);
      prev = kid;
      made++;
      if (!twin) age -= r.range(1, 5);
    }
  }

  // ---- the three years of change -----------------------------------------------------------

  private simulate(r: Rng): void {
    const months = Math.round((this.cfg.ref - this.cfg.start) / (YEAR / 12));
    for (let m = 0; m < months; m++) {
      const monthStart = this.cfg.start + Math.floor((m * YEAR) / 12);
      const n = this.households.length;
      for (let h = 0; h < n; h++) {
        const hh = this.households[h];
        if (hh.to !== null) continue;
        const day = Math.min(this.cfg.ref - 1, monthStart + r.int(30));
        this.monthFor(r, hh, day);
      }
    }
  }

  private monthFor(r: Rng, hh: Household, day: Day): void {
    // Deaths.
    for (let i = hh.members.length - 1; i >= 0; i--) {
      const p = this.persons[hh.members[i]];
      if (r.chance(annualDeath((day - p.dob) / YEAR) / 12)) {
        p.dod = day;
        this.leave(p, day);
      }
    }
    if (hh.to !== null) return;
    let head: Person | null = null;
    let partner: Person | null = null;
    let kids = 0;
    for (const id of hh.members) {
      const p = this.persons[id];
      const role = this.role(p);
      if (role === 'head') head = p;
      else if (role === 'partner') partner = p;
      else if (role === 'child') kids++;
    }
    const lsoa = this.pool.addresses[hh.addresses[hh.addresses.length - 1].addressId].lsoa;
    const deprived = this.tables.lsoas[lsoa].imdDecile <= 2;
    // Births.
    const mother = head?.sex === 'F' ? head : partner?.sex === 'F' ? partner : null;
    if (mother && hh.type !== 'shared') {
      const age = (day - mother.dob) / YEAR;
      const single = partner === null;
      const p = (annualFertility(age) / 12) * 1.5 * (kids >= 3 ? 0.35 : 1) * (single && kids === 0 ? 0.25 : 1);
      if (r.chance(p)) this.birth(r, hh, mother, mother === head ? partner : head, day);
    }
    // Separation.
    if (head && partner && r.chance(0.0028)) {
      const leaver = head.sex === 'M' ? (r.chance(0.85) ? head : partner) : partner.sex === 'M' ? (r.chance(0.85) ? partner : head) : partner;
      const stayer = leaver === head ? partner : head;
      if (leaver === head) this.memberships[stayer.membership].role = 'head';
      const takeKids = leaver.sex === 'F' && r.chance(0.85);
      const movers = takeKids ? hh.members.filter((id) => this.role(this.persons[id]) === 'child' && this.persons[id].motherId === leaver.id) : [];
      const nh = this.newHousehold(movers.length > 0 ? 'lone-parent' : 'single', takeAddress(r, this.pool, this.nearbyLsoa(r, hh.addresses[hh.addresses.length - 1].addressId)), day);
      this.leave(leaver, day);
      this.join(nh, leaver, 'head', day);
      for (const id of movers) {
        const kid = this.persons[id];
        this.leave(kid, day);
        this.join(nh, kid, 'child', day);
      }
      if (movers.length === 0) this.singles.push(nh.id);
      if (hh.to === null && kids > movers.length) hh.type = 'lone-parent';
      return;
    }
    // Re-partnering: a single adult moves in with a lone parent or single person.
    if (head && !partner && hh.type !== 'shared' && hh.type !== 'multigenerational') {
      const age = (day - head.dob) / YEAR;
      if (age >= 20 && age <= 60 && r.chance(0.0025)) this.repartner(r, hh, head, day);
    }
    // Young adults leave home.
    for (let i = hh.members.length - 1; i >= 0; i--) {
      const p = this.persons[hh.members[i]];
      if (this.role(p) === 'child' && (day - p.dob) / YEAR >= 18 && r.chance(0.014)) {
        const nh = this.newHousehold('single', takeAddress(r, this.pool, this.nearbyLsoa(r, hh.addresses[hh.addresses.length - 1].addressId)), day);
        this.leave(p, day);
        this.join(nh, p, 'head', day);
        this.singles.push(nh.id);
      }
    }
    if (hh.to !== null) return;
    // Moves.
    const moveRate = 0.006 * (deprived || hh.type === 'lone-parent' ? 1.4 : 1) * (hh.type === 'single-older' ? 0.3 : 1);
    if (r.chance(moveRate)) this.moveHousehold(r, hh, day);
  }

  private birth(r: Rng, hh: Household, mother: Person, other: Person | null, day: Day): void {
    const father = other && other.sex === 'M' ? other : null;
    const surname = father && r.chance(0.8) ? this.currentSurname(father) : this.currentSurname(mother);
    const n = r.chance(this.cfg.twinRate) ? 2 : 1;
    let first: Person | null = null;
    for (let i = 0; i < n; i++) {
      const baby = this.newPerson(r, r.chance(0.51) ? 'M' : 'F', day, surname, mother.id, father?.id ?? -1);
      if (first) baby.twinOf = first.id; else first = baby;
      this.join(hh, baby, 'child', day);
    }
    if (hh.type === 'single') hh.type = 'lone-parent';
    else if (hh.type === 'couple') hh.type = 'couple-children';
  }

  private repartner(r: Rng, hh: Household, head: Person, day: Day): void {
    for (let tries = 0; tries < 6; tries++) {
      if (this.singles.length === 0) return;
      const k = r.int(this.singles.length);
      const other = this.households[this.singles[k]];
      if (other.to !== null || other.members.length !== 1 || other.id === hh.id) {
        this.singles[k] = this.singles[this.singles.length - 1];
        this.singles.pop();
        continue;
      }
      const p = this.persons[other.members[0]];
      const sameSex = p.sex === head.sex;
      if ((sameSex && !r.chance(0.03)) || Math.abs(p.dob - head.dob) > 10 * YEAR) continue;
      this.singles[k] = this.singles[this.singles.length - 1];
      this.singles.pop();
      this.leave(p, day);
      this.join(hh, p, 'partner', day);
      const hasKids = hh.members.some((id) => this.role(this.persons[id]) === 'child');
      hh.type = hasKids ? 'step-family' : 'couple';
      if (!sameSex && r.chance(0.35)) {
        const wife = p.sex === 'F' ? p : head;
        const husband = p.sex === 'M' ? p : head;
        const when = day + r.range(60, 500);
        if (when < this.cfg.ref) this.marry(r, wife, husband, when);
      }
      return;
    }
  }

  // ---- identifiers that depend on life course ------------------------------------------------

  private assignIdentifiers(r: Rng): School[] {
    const ni = new NiNumberAllocator();
    const schools = this.buildSchools(r);
    const primaryByDistrict = new Map<string, School[]>();
    const secondaryByDistrict = new Map<string, School[]>();
    for (const s of schools) {
      const map = s.phase === 'primary' ? primaryByDistrict : s.phase === 'secondary' ? secondaryByDistrict : null;
      if (!map) continue;
      map.set(s.district, [...(map.get(s.district) ?? []), s]);
    }
    const serials = new Map<string, number>();
    const [refYear, refMonth] = ymdFromDay(this.cfg.ref);
    const academicYear = refMonth >= 9 ? refYear : refYear - 1;
    for (const p of this.persons) {
      const [by, bm] = ymdFromDay(p.dob);
      if (this.ageAt(p, p.dod ?? this.cfg.ref) >= 16) p.ni = ni.next();
      // Year group from the academic year of birth (September to August).
      const birthAcademic = bm >= 9 ? by : by - 1;
      const yearGroupAtRef = academicYear - birthAcademic - 5;
      // Anyone in Reception to Year 11 at some point in the three years gets a UPN.
      if (yearGroupAtRef >= 0 && yearGroupAtRef <= 13) {
        const res = p.residences[p.residences.length - 1];
        const district = this.tables.lsoas[this.pool.addresses[res.addressId].lsoa].district;
        const phase = yearGroupAtRef - 0 <= 6 ? primaryByDistrict : secondaryByDistrict;
        const list = phase.get(district) ?? [...phase.values()][0];
        const school = r.pick(list);
        p.school = school.id;
        const entry = birthAcademic + 5;
        const key = `${school.estab}/${entry}`;
        const serial = (serials.get(key) ?? 0) + 1;
        serials.set(key, serial);
        p.upn = makeUpn(school.estab, entry, serial);
      }
    }
    return schools;
  }

  private buildSchools(r: Rng): School[] {
    const schools: School[] = [];
    const names = ['St Anne', 'St Michael', 'Holy Cross', 'Our Lady', 'Christ Church', 'St Hilda', 'Park View', 'Greenbank', 'Meadow', 'Riverside', 'Northway', 'Hillside', 'Beechwood', 'Oakfield', 'Springwood', 'Westminster'];
    let primary = 2001;
    let secondary = 4001;
    for (const [district, lsoas] of this.pool.lsoasByDistrict) {
      const nPrimary = Math.max(1, Math.ceil(lsoas.length / 2));
      for (let i = 0; i < nPrimary; i++) {
        const estab = primary++;
        schools.push({ id: schools.length, urn: String(900000 + estab), estab, name: `${r.pick(names)} ${r.pick(['Primary School', 'CE Primary School', 'Catholic Primary School', 'Community Primary'])}`, phase: 'primary', district });
      }
      const nSecondary = Math.max(1, Math.ceil(lsoas.length / 10));
      for (let i = 0; i < nSecondary; i++) {
        const estab = secondary++;
        schools.push({ id: schools.length, urn: String(900000 + estab), estab, name: `${r.pick(names)} ${r.pick(['Academy', 'High School', 'Catholic College', 'School'])}`, phase: 'secondary', district });
      }
    }
    for (const estab of [1100, 1101]) {
      schools.push({ id: schools.length, urn: String(900000 + estab), estab, name: estab === 1100 ? 'Liverpool Pupil Referral Unit' : 'City Learning Centre (AP)', phase: 'pru', district: 'L7' });
    }
    void LIVERPOOL_LA;
    return schools;
  }
}
