import { COMPARISONS } from './comparisons';
import { expectationMaximisation, LevelMatrix, trainModel } from './training';
import { seededRandom } from './random';
import { rec } from './test-fixtures';

/** Pairs drawn from known m and u: EM must find m again (u is given, as after random sampling). */
function simulatedPairs(pairs: number, lambda: number, m: number[][], u: number[][], seed: number): LevelMatrix {
  const random = seededRandom(seed);
  const c = COMPARISONS.length;
  const levels = new Uint8Array(pairs * c);
  const draw = (probabilities: number[]) => {
    let x = random();
    for (let l = 1; l < probabilities.length; l++) {
      x -= probabilities[l];
      if (x <= 0) return l;
    }
    return probabilities.length - 1;
  };
  for (let p = 0; p < pairs; p++) {
    const match = random() < lambda;
    for (let k = 0; k < c; k++) levels[p * c + k] = draw(match ? m[k] : u[k]);
  }
  return { pairs, comparisons: c, levels };
}

describe('expectationMaximisation', () => {
  it('recovers m and the share of matches from pairs generated with known parameters', () => {
    const u = COMPARISONS.map((s) => [0, ...s.defaultU.map((v) => v)]);
    // True m: a shifted version of the defaults, so that EM cannot just stay where it starts.
    const m = COMPARISONS.map((s) => {
      const raw = s.defaultM.map((v, i) => (i === 0 ? v * 0.8 : v + (s.defaultM[0] * 0.2) / (s.defaultM.length - 1)));
      return [0, ...raw];
    });
    const matrix = simulatedPairs(40_000, 0.3, m, u, 7);
    const em = expectationMaximisation(matrix, u, { maxIterations: 200, tolerance: 1e-7 });
    expect(em.proportionMatched).toBeCloseTo(0.3, 1);
    for (const k of [0, 1, 2]) {
      for (let l = 1; l < m[k].length; l++) expect(Math.abs(em.m[k][l] - m[k][l])).toBeLessThan(0.03);
    }
  });
});

describe('trainModel', () => {
  const firstNames = 'anna brian carol david emma frank grace harry irene jack kate liam mary noah olive peter rose sam tara umar vera will yasmin zoe'.split(' ');
  const surnames = 'adams baker clark dixon evans foster green hughes irwin jones khan lewis moore nash owen price quinn reid shaw turner upton vance walsh young'.split(' ');
  const random = seededRandom(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const two = (n: number) => String(n).padStart(2, '0');
  const usedNames = new Set<string>();
  const uniqueName = (): [string, string] => {
    for (;;) {
      const name: [string, string] = [pick(firstNames), pick(surnames)];
      if (!usedNames.has(name.join(' '))) {
        usedNames.add(name.join(' '));
        return name;
      }
    }
  };
  // No namesakes: with names this few, two people of one name would be a fair guess for a match.
  const people = Array.from({ length: 150 }, () => uniqueName()).map(([given, family]) => ({
    given,
    family,
    dob: `${1940 + Math.floor(random() * 70)}-${two(1 + Math.floor(random() * 12))}-${two(1 + Math.floor(random() * 28))}`,
  }));
  const records = people.flatMap((p, i) => [
    rec(`${i}-a`, p),
    // The duplicate has a typo in the family name for one person in three.
    rec(`${i}-b`, i % 3 === 0 ? { ...p, family: p.family.slice(0, -1) + 'x' } : p),
  ]);

  it('learns without labels that names and dates agree for matches and not at random', () => {
    const model = trainModel(records, { seed: 3 });
    const level = (name: string, label: string) => model.comparisons.find((c) => c.name === name)?.levels.find((l) => l.label === label);
    const dobExact = level('date of birth', 'exact');
    expect(dobExact?.m).toBeGreaterThan(0.9);
    expect(dobExact?.u).toBeLessThan(0.01);
    const familyExact = level('family name', 'exact');
    expect(familyExact?.m).toBeGreaterThan(0.55);
    expect(familyExact?.m).toBeLessThan(0.8);
    // 150 true pairs among 44,850.
    expect(model.probabilityTwoRandomRecordsMatch).toBeGreaterThan(150 / 44_850 / 2);
    expect(model.probabilityTwoRandomRecordsMatch).toBeLessThan((150 / 44_850) * 2);
  });

  it('is deterministic', () => {
    expect(trainModel(records, { seed: 3 })).toEqual(trainModel(records, { seed: 3 }));
  });
});
