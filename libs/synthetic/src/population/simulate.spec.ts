import { ageOn, dayFromYmd } from '../core/dates';
import { isValidNhsNumber, isValidNiNumber, isValidUpn } from '../core/identifiers';
import { Rng } from '../core/rng';
import { loadTables } from '../io/load-tables';
import { simulatePopulation } from './simulate';

const start = dayFromYmd(2016, 10, 1);
const ref = dayFromYmd(2019, 9, 30);
const tables = loadTables();

describe(simulatePopulation.name, () => {
  const pop = simulatePopulation(new Rng('pop-test'), tables, { persons: 10000, twinRate: 0.05, namesakeRate: 0.02, start, ref });

  it('reaches the requested size within a few percent', () => {
    expect(pop.persons.length).toBeGreaterThan(9500);
    expect(pop.persons.length).toBeLessThan(10500);
  });

  it('changes households over time: births, deaths, moves, separations and new partners', () => {
    const births = pop.persons.filter((p) => p.dob >= start).length;
    const deaths = pop.persons.filter((p) => p.dod !== null).length;
    const moves = pop.households.filter((h) => h.addresses.length > 1).length;
    const leftMidway = pop.memberships.filter((m) => m.to !== null && pop.persons[m.personId].dod === null).length;
    const joinedMidway = pop.memberships.filter((m) => m.from > start && m.role === 'partner').length;
    expect(births).toBeGreaterThan(200);
    expect(deaths).toBeGreaterThan(100);
    expect(moves).toBeGreaterThan(150);
    expect(leftMidway).toBeGreaterThan(150);
    expect(joinedMidway).toBeGreaterThan(10);
    expect(pop.households.some((h) => h.type === 'step-family')).toBe(true);
    expect(pop.households.some((h) => h.type === 'multigenerational')).toBe(true);
  });

  it('makes twins and namesakes at roughly the configured rates', () => {
    const twins = pop.persons.filter((p) => p.twinOf >= 0);
    for (const t of twins.slice(0, 200)) {
      const other = pop.persons[t.twinOf];
      expect(t.dob).toBe(other.dob);
      expect(t.surnames[0].surname).toBe(other.surnames[0].surname);
      expect(t.residences[0].addressId).toBe(other.residences[0].addressId);
    }
    const births = pop.persons.filter((p) => p.dob >= start && p.twinOf < 0).length;
    const newTwins = twins.filter((p) => p.dob >= start).length;
    expect(newTwins / births).toBeGreaterThan(0.025);
    expect(newTwins / births).toBeLessThan(0.08);
    const namesakes = pop.persons.filter((p) => p.namesakeOf >= 0);
    expect(namesakes.length).toBeGreaterThan(10);
    for (const n of namesakes) {
      const other = pop.persons[n.namesakeOf];
      // Same name and date of birth when made; either may change surname later.
      expect([n.forename, n.dob]).toEqual([other.forename, other.dob]);
      expect(other.surnames.map((x) => x.surname)).toContain(n.surnames[0].surname);
      expect(n.residences[0].addressId).not.toBe(other.residences[0].addressId);
    }
  });

  it('gives everyone a valid NHS number, adults NI numbers and school-age children UPNs', () => {
    expect(new Set(pop.persons.map((p) => p.nhs)).size).toBe(pop.persons.length);
    for (const p of pop.persons) {
      expect(isValidNhsNumber(p.nhs)).toBe(true);
      if (p.ni) expect(isValidNiNumber(p.ni)).toBe(true);
      if (p.upn) expect(isValidUpn(p.upn)).toBe(true);
      if (ageOn(p.dob, ref) >= 17 && p.dod === null) expect(p.ni).not.toBeNull();
      const age = ageOn(p.dob, ref);
      if (age >= 6 && age <= 14) expect(p.upn).not.toBeNull();
    }
    expect(new Set(pop.persons.filter((p) => p.upn).map((p) => p.upn)).size).toBe(pop.persons.filter((p) => p.upn).length);
  });

  it('places households across Liverpool LSOAs, more lone parents in deprived ones', () => {
    const share = (pred: (d: number) => boolean) => {
      const hs = pop.households.filter((h) => pred(tables.lsoas[pop.pool.addresses[h.addresses[0].addressId].lsoa].imdDecile) && h.from === start);
      return hs.filter((h) => h.type === 'lone-parent').length / hs.length;
    };
    expect(share((d) => d <= 2)).toBeGreaterThan(share((d) => d >= 7));
    expect(new Set(pop.pool.addresses.map((a) => a.lsoa)).size).toBe(tables.lsoas.length);
  });
});
