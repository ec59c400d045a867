import { clustersFromPairs, scoreClustering } from './metrics';

describe(scoreClustering.name, () => {
  it('scores a perfect clustering as 1 everywhere', () => {
    const s = scoreClustering(['x', 'x', 'y', 'z'], [1, 1, 2, 3]);
    expect(s.pairwise).toMatchObject({ truePairs: 1, predictedPairs: 1, correctPairs: 1, precision: 1, recall: 1, f1: 1 });
    expect(s.bcubed.f1).toBe(1);
    expect(s.exactClusters).toMatchObject({ exact: 3, precision: 1, recall: 1 });
  });

  it('matches a hand-computed dedupe example', () => {
    // truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}
    const truth = [1, 1, 1, 2, 2];
    const pred = ['p', 'p', 'q', 'q', 'q'];
    const s = scoreClustering(pred, truth);
    // true pairs: 3 + 1 = 4; predicted pairs: 1 + 3 = 4; correct: ab, de = 2
    expect(s.pairwise).toMatchObject({ truePairs: 4, predictedPairs: 4, correctPairs: 2, precision: 0.5, recall: 0.5 });
    // B-cubed precision: a,b: 2/2; c: 1/3; d,e: 2/3 -> (1+1+1/3+2/3+2/3)/5 = 11/15
    expect(s.bcubed.precision).toBeCloseTo(11 / 15, 12);
    // B-cubed recall: a,b: 2/3; c: 1/3; d,e: 2/2 -> (2/3+2/3+1/3+1+1)/5 = 11/15
    expect(s.bcubed.recall).toBeCloseTo(11 / 15, 12);
    expect(s.exactClusters).toMatchObject({ exact: 0, precision: 0, recall: 0, f1: 0 });
  });

  it('counts over-merging as lost precision and splitting as lost recall', () => {
    const merged = scoreClustering([0, 0, 0, 0], [1, 1, 2, 2]);
    expect(merged.pairwise.precision).toBeCloseTo(2 / 6, 12);
    expect(merged.pairwise.recall).toBe(1);
    const split = scoreClustering([0, 1, 2, 3], [1, 1, 2, 2]);
    expect(split.pairwise.recall).toBe(0);
    expect(split.pairwise.precision).toBe(1);
    expect(split.bcubed.precision).toBe(1);
    expect(split.bcubed.recall).toBeCloseTo(0.5, 12);
  });

  it('counts only cross-source pairs in the linkage case', () => {
    // Source 0: r0 r1; source 1: r2 r3. Truth: r0-r2 same person, r1-r3 same person.
    const truth = ['A', 'B', 'A', 'B'];
    const source = [0, 0, 1, 1];
    // Predicted puts everyone together: 4 cross pairs predicted, 2 correct.
    const s = scoreClustering([9, 9, 9, 9], truth, source);
    expect(s.mode).toBe('linkage');
    expect(s.pairwise).toMatchObject({ truePairs: 2, predictedPairs: 4, correctPairs: 2, precision: 0.5, recall: 1 });
    // Same-source pairs are never counted, even when predicted.
    const sameSide = scoreClustering([1, 1, 2, 3], truth, source);
    expect(sameSide.pairwise).toMatchObject({ predictedPairs: 0, correctPairs: 0, precision: 1, recall: 0 });
  });

  it('handles three million records without enumerating pairs', () => {
    const n = 3_000_000;
    const truth = new Int32Array(n);
    const pred = new Int32Array(n);
    for (let i = 0; i < n; i++) { truth[i] = i >> 2; pred[i] = i >> 3; }
    const t0 = Date.now();
    const s = scoreClustering(pred, truth);
    expect(Date.now() - t0).toBeLessThan(15000);
    expect(s.pairwise.truePairs).toBe((n / 4) * 6);
    expect(s.pairwise.predictedPairs).toBe((n / 8) * 28);
    expect(s.pairwise.recall).toBe(1);
    expect(s.pairwise.precision).toBeCloseTo(12 / 28, 12);
  });

  it('rejects label arrays of different lengths', () => {
    expect(() => scoreClustering([1], [1, 2])).toThrow();
  });
});

describe(clustersFromPairs.name, () => {
  it('joins pairs transitively', () => {
    const c = clustersFromPairs(5, [[0, 1], [1, 2], [3, 4]]);
    expect(c[0]).toBe(c[2]);
    expect(c[3]).toBe(c[4]);
    expect(c[0]).not.toBe(c[3]);
  });
});
