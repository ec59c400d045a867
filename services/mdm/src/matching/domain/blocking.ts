/**
 * Blocking: which earlier records a new record is compared with. Each record has several keys
 * (each names a small group of plausible matches); a pair is a candidate when it shares at
 * least one key.
 *
 * Block-size cap: a key shared by more than `maxBlockSize` records (Smith born 1980 in a big
 * city) is marked OVERSIZED and no longer used for lookups; its members are dropped from it.
 * We chose dropping over sampling because a sample makes a pair's chance of being found
 * depend on arrival order and on unrelated records, while an oversized block carries too
 * little evidence to be worth its cost: the other, more specific keys still find the pair.
 * Once oversized, a block stays oversized (also after removals), so lookups never cost more
 * than keys x maxBlockSize, however large the index grows.
 */
import { ABSENT, BlockTable, OVERSIZED } from './block-table';
import { MatchRecord } from './match-record';

export interface BlockingOptions {
  maxBlockSize: number;
}

export const DEFAULT_BLOCKING: BlockingOptions = { maxBlockSize: 100 };

/** The blocking keys of a record; a key is "<rule>:<value>". */
export function blockingKeys(r: MatchRecord): string[] {
  const keys: string[] = [];
  const dob = r.dateOfBirth;
  const given = r.givenName;
  const family = r.familyName;
  const givenInitial = given ? given[0] : null;
  const familyCode = r.familyPhonetic[0] ?? null;
  const givenCode = r.givenPhonetic[0] ?? null;
  for (const id of r.identifiers) keys.push(`id:${id.key}:${id.value}`);
  if (dob) {
    // Day and month in sorted order, so that a transposed date shares the key.
    const lo = Math.min(dob.month, dob.day);
    const hi = Math.max(dob.month, dob.day);
    keys.push(`dob:${dob.year}-${lo}-${hi}`);
    if (familyCode) keys.push(`fy:${familyCode}:${dob.year}`);
    if (givenCode) keys.push(`gy:${givenCode}:${dob.year}`);
    if (givenInitial) keys.push(`gd:${givenInitial}:${dob.digits}`);
    if (familyCode) keys.push(`fmd:${familyCode}:${lo}-${hi}`);
    if (givenCode) keys.push(`gmd:${givenCode}:${lo}-${hi}`);
  }
  // Sorted, so that given and family names written the other way round share the key.
  if (familyCode && givenCode) keys.push(`nn:${givenCode < familyCode ? `${givenCode}:${familyCode}` : `${familyCode}:${givenCode}`}`);
  for (const place of r.localities) {
    if (givenCode) keys.push(`gl:${givenCode}:${place}`);
    if (familyCode) keys.push(`fl:${familyCode}:${place}`);
  }
  for (const p of r.postcodes) {
    if (givenInitial) keys.push(`pg:${p.full}:${givenInitial}`);
    if (family) keys.push(`pf:${p.district ?? p.full}:${family}`);
  }
  for (const s of r.streets) if (s.street && s.houseNumber) keys.push(`st:${s.houseNumber}:${s.street}`);
  for (const u of r.uprns) if (givenInitial) keys.push(`up:${u}:${givenInitial}`);
  for (const e of r.emails) {
    keys.push(`em:${e.full}`);
    keys.push(`el:${e.local}`);
    if (givenInitial) keys.push(`ed:${givenInitial}:${e.full.slice(e.local.length + 1)}`);
  }
  for (const p of r.phones) keys.push(`ph:${p}`);
  return keys;
}

/**
 * Keys that describe a person rather than a place. People who share only an address (a
 * household) are the most common non-matches among candidates; training on pairs found by
 * these keys keeps EM from learning "same household" instead of "same person".
 */
const PERSON_KEY_RULES = new Set(['id', 'dob', 'fy', 'gy', 'gd', 'fmd', 'gmd', 'nn', 'em', 'el', 'ed', 'ph', 'gl']);

export function personBlockingKeys(r: MatchRecord): string[] {
  return blockingKeys(r).filter((k) => PERSON_KEY_RULES.has(k.slice(0, k.indexOf(':'))));
}

/** Shared-key counts are stored below this; the sort key puts more shared keys first. */
const SHARED_CEILING = 0x10000;
const SEQ_SPAN = 2 ** 32;

export interface CandidateIndexStats {
  records: number;
  blocks: number;
  oversizedBlocks: number;
}

/**
 * An in-memory index of records by blocking key (the service rebuilds it from its log in
 * PostgreSQL). Each record added gets the next entry number (`seq`, its arrival order: between
 * candidates with equal evidence the oldest ranks first); a record's keys are not kept but
 * computed again on removal (rare: a withdrawal or correction). Blocks are integers in typed
 * arrays, found by a hash of their key (block-table.ts), and the records in an array indexed by
 * entry number, so the index adds few heap objects per record: the record's own.
 */
export class CandidateIndex {
  /** Each key's block of entry numbers (block-table.ts: no heap object per block). */
  private readonly blocks = new BlockTable();
  /** Entry number of each indexed record id. */
  private readonly entries = new Map<string, number>();
  /**
   * The record of each entry number; undefined once removed. Numbers are never reused, so this
   * array grows by 8 bytes with every record ever added, corrections included (the log
   * grows with them too; a restart's replay numbers them again the same way).
   */
  private readonly records: Array<MatchRecord | undefined> = [];
  private nextSeq = 0;
  private oversized = 0;
  /**
   * Scratch for `candidates`: the entries one lookup visits and their counts of shared keys, in
   * a small open-addressing table (entry number + 1, 0 for an empty slot). Usually a few
   * hundred entries, never more than the keys times the block cap, so it stays in the
   * processor's cache, where arrays indexed by entry number (megabytes at a city's scale) cost
   * a read from memory for nearly every entry visited.
   */
  private visitedSeq = new Int32Array(1024);
  private visitedShared = new Uint16Array(1024);
  /** 32 minus log2 of the table's size: a slot is the top bits of a multiplicative hash. */
  private visitedShift = 22;
  private readonly visitedSlots: number[] = [];
  private order = new Float64Array(1024);
  /** The keys of the record last looked up: a record is usually added right after its lookup. */
  private lastLookup: { record: MatchRecord; keys: string[] } | undefined;

  constructor(
    private readonly options: BlockingOptions = DEFAULT_BLOCKING,
    private readonly keysOf: (record: MatchRecord) => string[] = blockingKeys,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): MatchRecord | undefined {
    const seq = this.entries.get(id);
    return seq === undefined ? undefined : this.records[seq];
  }

  private distinctKeys(record: MatchRecord): string[] {
    if (this.lastLookup?.record === record) return this.lastLookup.keys;
    return [...new Set(this.keysOf(record))];
  }

  /** Adds (or replaces) a record. */
  add(record: MatchRecord): void {
    if (this.entries.has(record.id)) this.remove(record.id);
    const keys = this.distinctKeys(record);
    const seq = this.nextSeq++;
    this.entries.set(record.id, seq);
    this.records[seq] = record;
    for (const key of keys) if (this.blocks.add(key, seq, this.options.maxBlockSize)) this.oversized++;
  }

  /** The visited table's slot for `seq` (its own, or the empty one where it goes). */
  private slotOf(seq: number): number {
    const mask = this.visitedSeq.length - 1;
    let slot = Math.imul(seq + 1, 0x9e3779b1) >>> this.visitedShift;
    for (;;) {
      const held = this.visitedSeq[slot]!;
      if (held === 0 || held === seq + 1) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Twice the room, the visited entries placed again (kept at most half full, so probes stay short). */
  private growVisited(): void {
    const oldSeq = this.visitedSeq;
    const oldShared = this.visitedShared;
    const slots = this.visitedSlots.splice(0);
    this.visitedSeq = new Int32Array(oldSeq.length * 2);
    this.visitedShared = new Uint16Array(oldSeq.length * 2);
    this.visitedShift--;
    for (const old of slots) {
      const slot = this.slotOf(oldSeq[old]! - 1);
      this.visitedSeq[slot] = oldSeq[old]!;
      this.visitedShared[slot] = oldShared[old]!;
      this.visitedSlots.push(slot);
    }
  }

  remove(id: string): boolean {
    const seq = this.entries.get(id);
    if (seq === undefined) return false;
    const record = this.records[seq] as MatchRecord;
    this.entries.delete(id);
    this.records[seq] = undefined;
    for (const key of this.distinctKeys(record)) this.blocks.remove(key, seq);
    return true;
  }

  /**
   * Indexed records sharing a usable key with `record` (itself excluded), those sharing the
   * most keys first, then the oldest; at most `limit`. Counts in the small visited table, then
   * one numeric sort of (shared keys, entry number) packed into a double: nothing allocated per
   * record visited.
   */
  candidates(record: MatchRecord, limit: number): MatchRecord[] {
    const keys = [...new Set(this.keysOf(record))];
    this.lastLookup = { record, keys };
    // the record's own entry, if indexed
    const self = this.entries.get(record.id) ?? -2;
    const { blocks, visitedSlots } = this;
    for (const key of keys) {
      const block = blocks.get(key);
      if (block === ABSENT || block === OVERSIZED) continue;
      const single = block >= 0;
      const from = single ? 0 : blocks.start(block);
      const to = single ? 1 : from + blocks.length(block);
      for (let i = from; i < to; i++) {
        const seq = single ? block : blocks.members[i]!;
        if (seq === self) continue;
        let slot = this.slotOf(seq);
        if (this.visitedSeq[slot] === 0) {
          if (2 * (visitedSlots.length + 1) > this.visitedSeq.length) {
            this.growVisited();
            slot = this.slotOf(seq);
          }
          this.visitedSeq[slot] = seq + 1;
          this.visitedShared[slot] = 0;
          visitedSlots.push(slot);
        }
        this.visitedShared[slot]++;
      }
    }
    const n = visitedSlots.length;
    if (n > this.order.length) this.order = new Float64Array(Math.max(n, this.order.length * 2));
    const order = this.order.subarray(0, n);
    // most shared keys first, then the lowest entry number: exact in a double (below 2^49)
    const { visitedSeq, visitedShared } = this;
    for (let i = 0; i < n; i++) {
      const slot = visitedSlots[i]!;
      order[i] = (SHARED_CEILING - visitedShared[slot]!) * SEQ_SPAN + (visitedSeq[slot]! - 1);
      visitedSeq[slot] = 0;
    }
    visitedSlots.length = 0;
    order.sort();
    const out: MatchRecord[] = [];
    for (let i = 0; i < n && i < limit; i++) out.push(this.records[order[i]! % SEQ_SPAN] as MatchRecord);
    return out;
  }

  stats(): CandidateIndexStats {
    return { records: this.entries.size, blocks: this.blocks.size, oversizedBlocks: this.oversized };
  }
}
