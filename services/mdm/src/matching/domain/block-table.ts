/**
 * The candidate index's blocks, held in typed arrays rather than in a Map of strings to
 * arrays. At a city's scale there are millions of blocks: as a Map each was a key string and,
 * past one member, an array and its backing store, three heap objects that every full garbage
 * collection traces (and collection, not matching, is what limits mdm late in a large load;
 * docs/benchmarks.md). Here a block is a few integers in arrays the collector never looks into.
 *
 * A block is found by a 64-bit hash of its key (two independent 32-bit hashes); the key itself
 * is not kept. Two keys with the same 64-bit hash would share one block: their records would
 * become each other's candidates and be scored like any other, so a collision costs a few
 * comparisons and cannot link anyone by itself. Among the few million keys of a city the
 * chance of any collision is below one in a million.
 *
 * Each slot's value: a member's entry number (>= 0) when the block holds one record, OVERSIZED
 * when it is past the cap, or a list number (<= -2) for a block of two or more, whose members
 * sit in `members` from `listStart` for `listLength`, in a region of a power-of-two capacity.
 * A list that outgrows its region moves to a larger one; the old region is reused by the next
 * list of that size.
 */

export const OVERSIZED = -1;
/** What `get` answers for a key no record holds. */
export const ABSENT = -0x80000000;

const EMPTY = 0;
const FULL = 1;
/** A removed entry: probing goes on past it. */
const DELETED = 2;

let hashHigh = 0;
let hashLow = 0;

/** Sets `hashHigh` and `hashLow`: FNV-1a, and a multiply-xorshift hash with its own constants. */
function hashKey(key: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  hashHigh = a | 0;
  hashLow = (b ^ (b >>> 16)) | 0;
}

const listOf = (value: number): number => -2 - value;

export class BlockTable {
  private capacity = 1 << 12;
  private high = new Int32Array(this.capacity);
  private low = new Int32Array(this.capacity);
  private values = new Int32Array(this.capacity);
  private states = new Uint8Array(this.capacity);
  private used = 0;
  private deleted = 0;

  /** Lists of two or more members: where each starts in `members`, how many it holds, the log2 of its region's size. */
  private listStart = new Int32Array(256);
  private listLength = new Int32Array(256);
  private listSizeClass = new Uint8Array(256);
  private nextList = 0;
  private readonly freeLists: number[] = [];
  members = new Int32Array(1 << 12);
  private membersUsed = 0;
  /** Free regions of `members` by size class. */
  private readonly freeRegions: number[][] = [];

  /** Keys held (blocks of any size, oversized ones included). */
  get size(): number {
    return this.used;
  }

  /** The block's value: an entry number, OVERSIZED, a list number (<= -2), or ABSENT. */
  get(key: string): number {
    const slot = this.find(key);
    return slot < 0 ? ABSENT : this.values[slot]!;
  }

  start(value: number): number {
    return this.listStart[listOf(value)]!;
  }

  length(value: number): number {
    return this.listLength[listOf(value)]!;
  }

  /** How many records the block of `value` holds (0 for ABSENT and OVERSIZED). */
  count(value: number): number {
    return value >= 0 ? 1 : value <= -2 ? this.listLength[listOf(value)]! : 0;
  }

  /**
   * Adds `seq` to the key's block. A block that already holds `maxSize` records becomes
   * OVERSIZED instead (and lets its members go); an oversized block stays so. True when this
   * made the block oversized.
   */
  add(key: string, seq: number, maxSize: number): boolean {
    let slot = this.find(key);
    if (slot < 0) {
      slot = this.insertSlot();
      this.values[slot] = maxSize >= 1 ? seq : OVERSIZED;
      return maxSize < 1;
    }
    const value = this.values[slot]!;
    if (value === OVERSIZED) return false;
    if (this.count(value) >= maxSize) {
      if (value <= -2) this.freeList(listOf(value));
      this.values[slot] = OVERSIZED;
      return true;
    }
    if (value >= 0) {
      const list = this.newList(1);
      this.members[this.listStart[list]!] = value;
      this.members[this.listStart[list]! + 1] = seq;
      this.listLength[list] = 2;
      this.values[slot] = listOf(list); // the mapping is its own inverse
      return false;
    }
    const list = listOf(value);
    const length = this.listLength[list]!;
    if (length === 1 << this.listSizeClass[list]!) this.moveList(list, this.listSizeClass[list]! + 1);
    this.members[this.listStart[list]! + length] = seq;
    this.listLength[list] = length + 1;
    return false;
  }

  /** Removes `seq` from the key's block; a block left empty is forgotten. Oversized blocks stay. */
  remove(key: string, seq: number): void {
    const slot = this.find(key);
    if (slot < 0) return;
    const value = this.values[slot]!;
    if (value === OVERSIZED) return;
    if (value >= 0) {
      if (value === seq) this.deleteSlot(slot);
      return;
    }
    const list = listOf(value);
    const start = this.listStart[list]!;
    const length = this.listLength[list]!;
    let at = -1;
    for (let i = 0; i < length; i++) if (this.members[start + i] === seq) at = i;
    if (at < 0) return;
    // keep the others in arrival order: lookups do not depend on it, but the index is easier to reason about
    this.members.copyWithin(start + at, start + at + 1, start + length);
    this.listLength[list] = length - 1;
    if (length - 1 === 1) {
      this.values[slot] = this.members[start]!;
      this.freeList(list);
    }
  }

  private find(key: string): number {
    hashKey(key);
    const mask = this.capacity - 1;
    for (let slot = (hashHigh ^ Math.imul(hashLow, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      const state = this.states[slot];
      if (state === EMPTY) return -1;
      if (state === FULL && this.high[slot] === hashHigh && this.low[slot] === hashLow) return slot;
    }
  }

  /** A slot for the key last hashed (by a `find` that missed), growing the table first if it is too full. */
  private insertSlot(): number {
    if ((this.used + this.deleted + 1) * 10 > this.capacity * 6) this.rehash(this.used * 10 > this.capacity * 3 ? this.capacity * 2 : this.capacity);
    const mask = this.capacity - 1;
    let slot = (hashHigh ^ Math.imul(hashLow, 0x9e3779b1)) & mask;
    while (this.states[slot] === FULL) slot = (slot + 1) & mask;
    if (this.states[slot] === DELETED) this.deleted--;
    this.states[slot] = FULL;
    this.high[slot] = hashHigh;
    this.low[slot] = hashLow;
    this.used++;
    return slot;
  }

  private deleteSlot(slot: number): void {
    this.states[slot] = DELETED;
    this.used--;
    this.deleted++;
  }

  private rehash(capacity: number): void {
    const { high, low, values, states } = this;
    this.capacity = capacity;
    this.high = new Int32Array(capacity);
    this.low = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.states = new Uint8Array(capacity);
    this.deleted = 0;
    const mask = capacity - 1;
    for (let i = 0; i < states.length; i++) {
      if (states[i] !== FULL) continue;
      let slot = (high[i]! ^ Math.imul(low[i]!, 0x9e3779b1)) & mask;
      while (this.states[slot] === FULL) slot = (slot + 1) & mask;
      this.states[slot] = FULL;
      this.high[slot] = high[i]!;
      this.low[slot] = low[i]!;
      this.values[slot] = values[i]!;
    }
  }

  private newList(sizeClass: number): number {
    let list = this.freeLists.pop();
    if (list === undefined) {
      list = this.nextList++;
      if (list === this.listStart.length) {
        this.listStart = grown(this.listStart);
        this.listLength = grown(this.listLength);
        this.listSizeClass = grown(this.listSizeClass);
      }
    }
    this.listStart[list] = this.region(sizeClass);
    this.listSizeClass[list] = sizeClass;
    this.listLength[list] = 0;
    return list;
  }

  private freeList(list: number): void {
    this.releaseRegion(this.listStart[list]!, this.listSizeClass[list]!);
    this.freeLists.push(list);
  }

  private moveList(list: number, sizeClass: number): void {
    const from = this.listStart[list]!;
    const length = this.listLength[list]!;
    const to = this.region(sizeClass);
    this.members.copyWithin(to, from, from + length);
    this.releaseRegion(from, this.listSizeClass[list]!);
    this.listStart[list] = to;
    this.listSizeClass[list] = sizeClass;
  }

  /** Gives a region back for the next list of its size class. */
  private releaseRegion(start: number, sizeClass: number): void {
    (this.freeRegions[sizeClass] ??= []).push(start);
  }

  /** The start of a free region of 2^sizeClass members. */
  private region(sizeClass: number): number {
    const reused = this.freeRegions[sizeClass]?.pop();
    if (reused !== undefined) return reused;
    const size = 1 << sizeClass;
    while (this.membersUsed + size > this.members.length) this.members = grown(this.members);
    const start = this.membersUsed;
    this.membersUsed += size;
    return start;
  }
}

function grown<T extends Int32Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
