import { ymdFromDay, dayFromYmd } from '../core/dates';
import { isValidNhsNumber } from '../core/identifiers';
import { loadTables } from '../io/load-tables';
import { HARSH_V1, NoiseProfile } from '../noise/profile';
import { buildWorld, DEFAULT_WORLD } from '../world';
import { NoiseContext, noisyIdentity, NoiseType } from './identity';
import { PersonStyle } from './model';

const tables = loadTables();
const world = buildWorld(tables, { ...DEFAULT_WORLD, seed: 'noise-test', persons: 1500 });
const style: PersonStyle = { names: 'split', address: 'parts', sex: ['M', 'F', 'U'], dob: true, ids: ['nhs', 'upn', 'ni', 'pnc', 'uprn'] };
const profile: NoiseProfile = HARSH_V1;
const quality = 1.5;
const ctx: NoiseContext = { pop: world.population, tables, profile, quality, style };
const rate = (r: number) => r * quality;

/** Renders every person `reps` times with independent record seeds, measuring from the output only. */
function measure(reps: number, pick: (p: (typeof world.population.persons)[number]) => boolean, relative = false) {
  const out: Array<{ person: (typeof world.population.persons)[number]; id: ReturnType<typeof noisyIdentity>; applied: NoiseType[] }> = [];
  for (const person of world.population.persons) {
    if (!pick(person)) continue;
    for (let k = 0; k < reps; k++) {
      const applied: NoiseType[] = [];
      const id = noisyIdentity(ctx, `t/${person.id}/${k}`, person, world.ref, relative ? person.motherId : -1, applied);
      out.push({ person, id, applied });
    }
  }
  return out;
}

/** Measured share must be within 4.5 standard errors (plus a little for interacting errors). */
function expectRate(hits: number, n: number, expected: number, slack = 0.1) {
  const sd = Math.sqrt((expected * (1 - expected)) / n);
  expect(n).toBeGreaterThan(500);
  expect(Math.abs(hits / n - expected)).toBeLessThanOrEqual(4.5 * sd + slack * expected);
}

describe('noise measured on rendered identities', () => {
  const all = measure(20, () => true);
  const r = profile.rates;

  it('drops dates of birth at the profile rate', () => {
    const hits = all.filter((x) => x.id.dob === null).length;
    expectRate(hits, all.length, rate(r.missing.dob));
  });

  it('drops NHS numbers and breaks check digits at the profile rates', () => {
    expectRate(all.filter((x) => x.id.nhs === null).length, all.length, rate(r.missing.nhs));
    const present = all.filter((x) => x.id.nhs !== null);
    expectRate(present.filter((x) => !isValidNhsNumber(x.id.nhs as string)).length, present.length, rate(r.badCheckDigit));
  });

  it('transposes day and month where that gives another valid date', () => {
    const eligible = all.filter((x) => { const [, m, d] = ymdFromDay(x.person.dob); return d <= 12 && d !== m; });
    const hits = eligible.filter((x) => {
      if (x.id.dob === null) return false;
      const [y, m, d] = ymdFromDay(x.person.dob);
      return x.id.dob === dayFromYmd(y, d, m);
    }).length;
    expectRate(hits, eligible.length, rate(r.dobTranspose) * (1 - rate(r.missing.dob)) * (1 - rate(r.placeholder) / 3));
  });

  it('swaps forename and surname', () => {
    const hits = all.filter((x) => x.id.forename !== null && x.id.forename === x.person.surnames[x.person.surnames.length - 1].surname && x.id.surname === x.person.forename).length;
    // Swapped names are only recognisable when no other error touched either name.
    expectRate(hits, all.length, rate(r.nameSwap) * 0.85, 0.2);
  });

  it('gives nicknames to forenames that have one', () => {
    const eligible = all.filter((x) => tables.nicknamesOf(x.person.forename).length > 0);
    const hits = eligible.filter((x) => x.id.forename !== null && tables.nicknamesOf(x.person.forename).some((n) => n.toLowerCase() === (x.id.forename ?? '').toLowerCase())).length;
    expectRate(hits, eligible.length, rate(r.nickname) * 0.9, 0.15);
  });

  it('records a previous address for people who have moved', () => {
    const movers = all.filter((x) => x.person.residences.filter((res) => res.from <= world.ref).length >= 2);
    const hits = movers.filter((x) => {
      const rs = x.person.residences.filter((res) => res.from <= world.ref);
      const prev = world.population.pool.addresses[rs[rs.length - 2].addressId];
      return x.id.address !== null && x.id.address.uprn === prev.uprn;
    }).length;
    expectRate(hits, movers.length, rate(r.staleAddress) * (1 - rate(r.missing.address)), 0.15);
  });

  it('puts the mother\'s NHS number on a child\'s record', () => {
    const kids = measure(20, (p) => p.motherId >= 0, true);
    const hits = kids.filter((x) => x.id.nhs === world.population.persons[x.person.motherId].nhs).length;
    expectRate(hits, kids.length, rate(r.wrongPersonId) * (1 - rate(r.missing.nhs)));
  });

  it('logs exactly the errors it applied', () => {
    const clean = all.filter((x) => x.applied.length === 0);
    for (const x of clean.slice(0, 2000)) {
      expect(x.id.forename).toBe(x.person.forename);
      expect(x.id.dob).toBe(x.person.dob);
      expect(x.id.nhs).toBe(x.person.nhs);
    }
  });
});
