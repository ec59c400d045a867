import { boundsFor, defaultModel, matchWeight, matchWeightFrom, compileModel, score, scoringPlan, scoringScratch, withVersion } from './model';
import { rec, testModel } from './test-fixtures';

describe('score', () => {
  const model = testModel();
  const a = rec('a', { given: 'john', family: 'smith', dob: '1980-03-14', postcode: 'L17 8XY' });
  const b = rec('b', { given: 'jon', family: 'smith', dob: '1980-03-14', postcode: 'L17 8AB' });

  it('explains the total as the prior plus one step per comparison', () => {
    const s = score(a, b, model);
    const sum = s.priorWeight + s.comparisons.reduce((t, c) => t + c.weight, 0);
    expect(s.matchWeight).toBeCloseTo(sum, 10);
    expect(s.probability).toBeCloseTo(1 / (1 + 2 ** -s.matchWeight), 10);
    expect(s.modelVersion).toBe(model.version);
    const steps = Object.fromEntries(s.comparisons.map((c) => [c.comparison, c.level]));
    expect(steps).toMatchObject({ 'given name': 'jaro-winkler >= 0.92', 'family name': 'exact', 'date of birth': 'exact', address: 'postcode sector or one character', email: 'null' });
    for (const c of s.comparisons) if (c.levelIndex === 0) expect(c.weight).toBe(0);
  });

  it('agrees with the allocation-free hot path', () => {
    expect(matchWeight(a, b, compileModel(model))).toBeCloseTo(score(a, b, model).matchWeight, 10);
  });

  it('is symmetric', () => {
    expect(score(b, a, model).matchWeight).toBeCloseTo(score(a, b, model).matchWeight, 10);
  });
});

describe('term-frequency adjustment', () => {
  const model = testModel({
    termFrequencies: { givenName: {}, familyName: { smith: 0.05, zabrowski: 0.0001 }, locality: {} },
    minimumTermFrequency: { givenName: 0.01, familyName: 0.0001, locality: 0.02 },
  });
  const familyStep = (family: string) =>
    score(rec('a', { family }), rec('b', { family }), model).comparisons.find((c) => c.comparison === 'family name');

  it('weighs agreement on a common surname less than on a rare one', () => {
    const common = familyStep('smith');
    const rare = familyStep('zabrowski');
    expect(common?.termFrequencyWeight).toBeLessThan(0);
    expect(rare?.termFrequencyWeight).toBeGreaterThan(0);
    expect(common?.bayesFactorWeight).toBeCloseTo(rare?.bayesFactorWeight ?? NaN, 10);
    expect(common?.weight).toBeLessThan(rare?.weight ?? -Infinity);
  });

  it('weighs a swap of given and family name as exact agreement at most, adjusted by the commoner name', () => {
    const swapModel = testModel({
      termFrequencies: { givenName: { sarah: 0.02, tamsin: 0.0001 }, familyName: { jones: 0.03, zabrowski: 0.0001 }, locality: {} },
      minimumTermFrequency: { givenName: 0.0001, familyName: 0.0001, locality: 0.02 },
      // EM can find swaps far rarer among random pairs than exact agreement: a huge swap weight.
      comparisons: testModel().comparisons.map((c) => (c.name === 'given name' || c.name === 'family name' ? { ...c, levels: c.levels.map((l, i) => (i === 1 ? { ...l, u: 1e-9 } : l)) } : c)),
    });
    const names = (s: ReturnType<typeof score>) => s.comparisons.filter((c) => c.comparison === 'given name' || c.comparison === 'family name').reduce((t, c) => t + c.weight, 0);
    const exact = names(score(rec('a', { given: 'sarah', family: 'jones' }), rec('b', { given: 'sarah', family: 'jones' }), swapModel));
    const swapped = score(rec('a', { given: 'jones', family: 'sarah' }), rec('b', { given: 'sarah', family: 'jones' }), swapModel);
    expect(swapped.comparisons.find((c) => c.comparison === 'given name')?.level).toBe('swapped with the other name');
    expect(names(swapped)).toBeCloseTo(exact, 10);
    const rareSwap = names(score(rec('a', { given: 'zabrowski', family: 'tamsin' }), rec('b', { given: 'tamsin', family: 'zabrowski' }), swapModel));
    expect(rareSwap).toBeGreaterThan(names(swapped));
    expect(matchWeight(rec('a', { given: 'jones', family: 'sarah' }), rec('b', { given: 'sarah', family: 'jones' }), compileModel(swapModel))).toBeCloseTo(swapped.matchWeight, 10);
  });

  it('adjusts only exact agreement (and a swap)', () => {
    const s = score(rec('a', { family: 'smith' }), rec('b', { family: 'smyth' }), model);
    expect(s.comparisons.find((c) => c.comparison === 'family name')?.termFrequencyWeight).toBe(0);
  });
});

describe('model version', () => {
  it('is a hash of the parameters', () => {
    const a = defaultModel(1e-4);
    expect(defaultModel(1e-4).version).toBe(a.version);
    expect(defaultModel(2e-4).version).not.toBe(a.version);
    expect(withVersion({ ...a, version: 'whatever' } as never).version).toBe(a.version);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

describe('pruned scoring (matchWeightFrom)', () => {
  const model = testModel({
    termFrequencies: { givenName: { john: 0.03 }, familyName: { smith: 0.05, zabrowski: 0.0001 }, locality: {} },
    minimumTermFrequency: { givenName: 0.001, familyName: 0.0001, locality: 0.02 },
  });
  const compiled = compileModel(model);
  const nhs = compiled.names.indexOf('identifier NHS');
  const plan = scoringPlan(compiled, [nhs]);
  const scratch = scoringScratch(compiled);
  const sketches = [
    { given: 'john', family: 'smith', dob: '1980-03-14', postcode: 'L17 8XY', ids: [['NHS', '9434765919']] as Array<['NHS', string]> },
    { given: 'jon', family: 'smith', dob: '1980-03-14', postcode: 'L17 8AB' },
    { given: 'john', family: 'smyth', dob: '1980-03-14', email: 'js@example.org' },
    { given: 'mary', family: 'zabrowski', dob: '1955-07-01', postcode: 'L8 1AA', ids: [['NHS', '9434765919']] as Array<['NHS', string]> },
    { given: 'mary', family: 'zabrowski', dob: '1955-01-07', postcode: 'L8 1AA' },
    { given: 'peter', family: 'jones', dob: '2001-12-30', sex: 'MALE' as const },
    { given: 'smith', family: 'john', dob: '1980-03-14' },
    { family: 'smith' },
    {},
  ];
  const records = sketches.map((s, i) => rec(`r${i}`, s));

  it('gives exactly matchWeight for every pair it scores in full, and prunes only pairs below the floor', () => {
    let pruned = 0;
    for (const floor of [-5, 0, 5]) {
      for (const a of records) {
        for (const b of records) {
          const full = matchWeight(a, b, compiled);
          const fast = matchWeightFrom(a, b, plan, floor, scratch);
          if (fast === Number.NEGATIVE_INFINITY) {
            pruned++;
            expect(full).toBeLessThan(floor);
          } else {
            expect(fast).toBe(full);
          }
        }
      }
    }
    // the pairs of different people are pruned: otherwise this test proves nothing
    expect(pruned).toBeGreaterThan(20);
  });

  it('bounds a pair by what its first record holds: never below what the rest adds, same weights, pruned sooner', () => {
    // more pairs: the sketches, each also with its names swapped and with one name missing
    const more = [
      ...records,
      ...sketches.map((s, i) => rec(`s${i}`, { ...s, given: s.family, family: s.given })),
      ...sketches.map((s, i) => rec(`g${i}`, { ...s, given: undefined })),
      ...sketches.map((s, i) => rec(`f${i}`, { ...s, family: undefined, given: s.given ? `${s.given}a` : 'zed' })),
      // the fields the sketches above never fill
      rec('m1', { given: 'john', middle: 'paul', family: 'smith', dob: '1980-03-14', line: '12 Mill Lane', locality: 'Liverpool', phone: '07700900123', email: 'js@example.org' }),
      rec('m2', { given: 'john', middle: 'p', family: 'smith', line: '12 Mill Lane', locality: 'Liverpool', phone: '07700900123' }),
      rec('m3', { middle: 'paul', family: 'smith', locality: 'Bootle', ids: [['UPN', 'A123456789012'], ['NI', 'QQ123456C']] }),
    ];
    // comparisons made before a pair is seen to fall short, with either bound (as matchWeightFrom stops)
    const madeBefore = (parts: number[], bestAfter: Float64Array, floor: number) => {
      let partial = compiled.priorWeight;
      for (let k = 0; k < plan.order.length; k++) {
        partial += parts[plan.order[k]!]!;
        if (k >= plan.decisiveCount && partial + bestAfter[k + 1]! < floor) return k + 1;
      }
      return plan.order.length;
    };
    let madeWithPlan = 0;
    let madeWithRecord = 0;
    for (const a of more) {
      const bounds = Float64Array.from(boundsFor(a, plan, scratch));
      for (const b of more) {
        // what comparisons order[k..] add in fact, against the bound for them
        const parts = score(a, b, model).comparisons.map((c) => c.weight);
        let rest = 0;
        for (let k = plan.order.length - 1; k >= 0; k--) {
          rest += parts[plan.order[k]!]!;
          expect(rest).toBeLessThanOrEqual(bounds[k]! + 1e-9);
          expect(bounds[k]!).toBeLessThanOrEqual(plan.bestAfter[k]! + 1e-9);
        }
        for (const floor of [-5, 0, 5]) {
          const full = matchWeight(a, b, compiled);
          const byRecord = matchWeightFrom(a, b, plan, floor, scratch, bounds);
          if (byRecord === Number.NEGATIVE_INFINITY) expect(full).toBeLessThan(floor);
          else expect(byRecord).toBe(full);
          const withPlan = madeBefore(parts, plan.bestAfter, floor);
          const withRecord = madeBefore(parts, bounds, floor);
          expect(withRecord).toBeLessThanOrEqual(withPlan);
          madeWithPlan += withPlan;
          madeWithRecord += withRecord;
        }
      }
    }
    // the same pairs are dropped either way (all below the floor); the record's bound sees it
    // after fewer comparisons, which is what it is for
    expect(madeWithRecord).toBeLessThan(madeWithPlan);
  });

  it('scores in full a pair whose trusted identifier agrees, however low its weight (it may decide alone)', () => {
    const mother = records[0]!;
    const other = records[3]!;
    expect(matchWeight(mother, other, compiled)).toBeLessThan(0);
    expect(matchWeightFrom(mother, other, plan, 1000, scratch)).toBe(matchWeight(mother, other, compiled));
    // without the identifier declared decisive, the same pair is pruned
    expect(matchWeightFrom(mother, other, scoringPlan(compiled, []), 1000, scratch)).toBe(Number.NEGATIVE_INFINITY);
  });
});
