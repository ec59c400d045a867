import { ABSENT, BlockTable, OVERSIZED } from './block-table';
import { seededRandom } from './random';

/** The members of a key's block, sorted (the table does not promise an order). */
function membersOf(sut: BlockTable, key: string): number[] | 'oversized' {
  const value = sut.get(key);
  if (value === ABSENT) return [];
  if (value === OVERSIZED) return 'oversized';
  if (value >= 0) return [value];
  return [...sut.members.subarray(sut.start(value), sut.start(value) + sut.length(value))].sort((x, y) => x - y);
}

describe(BlockTable.name, () => {
  it('holds one member as the number itself and more in a list, and lets them go', () => {
    const sut = new BlockTable();
    sut.add('pg:L11AA:a', 7, 100);
    expect(sut.get('pg:L11AA:a')).toBe(7);
    sut.add('pg:L11AA:a', 9, 100);
    expect(sut.get('pg:L11AA:a')).toBeLessThanOrEqual(-2);
    expect(membersOf(sut, 'pg:L11AA:a')).toEqual([7, 9]);
    sut.remove('pg:L11AA:a', 7);
    expect(sut.get('pg:L11AA:a')).toBe(9);
    sut.remove('pg:L11AA:a', 9);
    expect(sut.get('pg:L11AA:a')).toBe(ABSENT);
    expect(sut.size).toBe(0);
  });

  it('marks a block past the cap oversized for good, and says when it did', () => {
    const sut = new BlockTable();
    const became = [0, 1, 2, 3].map((seq) => sut.add('fy:SM0:1980', seq, 3));
    expect(became).toEqual([false, false, false, true]);
    expect(sut.get('fy:SM0:1980')).toBe(OVERSIZED);
    sut.remove('fy:SM0:1980', 0);
    expect(sut.get('fy:SM0:1980')).toBe(OVERSIZED);
    expect(sut.add('fy:SM0:1980', 9, 3)).toBe(false);
  });

  it('agrees with a plain map of sets through 50,000 random adds and removes (growth, reuse of regions and slots)', () => {
    const random = seededRandom(11);
    const sut = new BlockTable();
    const expected = new Map<string, Set<number> | 'oversized'>();
    const cap = 40;
    for (let step = 0; step < 50_000; step++) {
      // few keys share many records, many keys hold one: like postcodes against names
      const key = random() < 0.5 ? `k:${Math.floor(random() * 300)}` : `unique:${Math.floor(random() * 50_000)}`;
      const seq = Math.floor(random() * 5_000);
      const held = expected.get(key);
      if (random() < 0.7) {
        if (held === 'oversized' || held?.has(seq)) continue;
        const turned = sut.add(key, seq, cap);
        if (held && held.size >= cap) {
          expect(turned).toBe(true);
          expect(sut.get(key)).toBe(OVERSIZED);
          expected.set(key, 'oversized');
        } else {
          expect(turned).toBe(false);
          expected.set(key, (held ?? new Set()).add(seq));
        }
      } else {
        sut.remove(key, seq);
        if (held && held !== 'oversized') {
          held.delete(seq);
          if (held.size === 0) expected.delete(key);
        }
      }
    }
    expect(sut.size).toBe(expected.size);
    for (const [key, held] of expected) expect(membersOf(sut, key)).toEqual(held === 'oversized' ? 'oversized' : [...held].sort((x, y) => x - y));
    expect(sut.get('never:added')).toBe(ABSENT);
  });
});
