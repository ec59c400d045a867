import { shardOf } from './shard';

describe(shardOf.name, () => {
  it('is stable for a key and spreads keys over the shards', () => {
    expect(shardOf('person-1', 64)).toBe(shardOf('person-1', 64));
    const used = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`person-${i}`, 64)));
    expect(used.size).toBe(64);
  });

  it('matches the FNV-1a reference value', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c
    expect(shardOf('a', 2 ** 32 - 1)).toBe(0xe40c292c % (2 ** 32 - 1));
  });
});
