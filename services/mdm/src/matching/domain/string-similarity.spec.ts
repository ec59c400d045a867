import { boundedLevenshtein, jaro, jaroWinkler, withinOneEdit } from './string-similarity';

describe('string similarity', () => {
  it('gives the textbook Jaro-Winkler values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaro('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('same', 'same')).toBe(1);
    expect(jaroWinkler('', 'x')).toBe(0);
  });

  it('stops Levenshtein at the bound', () => {
    expect(boundedLevenshtein('kitten', 'sitting', 5)).toBe(3);
    expect(boundedLevenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(boundedLevenshtein('19800101', '19800110', 2)).toBe(2);
    expect(boundedLevenshtein('a'.repeat(1000), 'b'.repeat(1000), 2)).toBe(3);
  });

  it('agrees with the full Levenshtein distance up to its bound (the band loses nothing), as does withinOneEdit', () => {
    const full = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      return d[a.length]![b.length]!;
    };
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const word = () => Array.from({ length: Math.floor(random() * 9) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let n = 0; n < 3000; n++) {
      const a = word();
      const b = random() < 0.5 ? word() : a.slice(0, Math.floor(random() * (a.length + 1))) + word().slice(0, 2) + a.slice(Math.floor(random() * (a.length + 1)));
      for (const max of [0, 1, 2, 3]) expect([a, b, max, boundedLevenshtein(a, b, max)]).toEqual([a, b, max, Math.min(full(a, b), max + 1)]);
      expect([a, b, withinOneEdit(a, b)]).toEqual([a, b, full(a, b) <= 1]);
    }
  });

  it('handles strings longer than its scratch buffers', () => {
    const long = 'ab'.repeat(600);
    expect(jaroWinkler(long, long + 'c')).toBeGreaterThan(0.99);
  });
});
