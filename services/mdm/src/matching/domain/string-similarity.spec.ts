import { boundedLevenshtein, jaro, jaroWinkler } from './string-similarity';

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

  it('handles strings longer than its scratch buffers', () => {
    const long = 'ab'.repeat(600);
    expect(jaroWinkler(long, long + 'c')).toBeGreaterThan(0.99);
  });
});
