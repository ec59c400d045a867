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

/**
 * An indexed record. Its keys are not kept: they are computed again on removal (rare: a
 * withdrawal or correction), which spares every record a copy of strings the blocks hold.
 */
interface Entry {
  record: MatchRecord;
  /** Arrival order: candidates with equal evidence are ranked oldest first. */
  seq: number;
  /** Scratch for `candidates`: the lookup that last counted this entry, and its count of shared keys there. */
  lookup: number;
  shared: number;
}

/**
 * A block's members in arrival order. Most keys (a postcode with an initial, an e-mail) name
 * one record, so a block of one is the entry itself, with no array: the blocks are most of the
 * index's memory. OVERSIZED marks a block past the cap.
 */
const OVERSIZED = Symbol('oversized');
type Block = Entry | Entry[] | typeof OVERSIZED;

export interface CandidateIndexStats {
  records: number;
  blocks: number;
  oversizedBlocks: number;
}

/** An in-memory index of records by blocking key (the service rebuilds it from its log in PostgreSQL). */
export class CandidateIndex {
  private readonly blocks = new Map<string, Block>();
  private readonly entries = new Map<string, Entry>();
  private nextSeq = 0;
  private oversized = 0;
  private lookups = 0;
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
    return this.entries.get(id)?.record;
  }

  private distinctKeys(record: MatchRecord): string[] {
    if (this.lastLookup?.record === record) return this.lastLookup.keys;
    return [...new Set(this.keysOf(record))];
  }

  /** Adds (or replaces) a record. */
  add(record: MatchRecord): void {
    if (this.entries.has(record.id)) this.remove(record.id);
    const keys = this.distinctKeys(record);
    const entry: Entry = { record, seq: this.nextSeq++, lookup: 0, shared: 0 };
    this.entries.set(record.id, entry);
    for (const key of keys) {
      const block = this.blocks.get(key);
      if (block === OVERSIZED) continue;
      const members = block === undefined ? 0 : Array.isArray(block) ? block.length : 1;
      if (members >= this.options.maxBlockSize) {
        this.blocks.set(key, OVERSIZED);
        this.oversized++;
      } else if (block === undefined) this.blocks.set(key, entry);
      else if (Array.isArray(block)) block.push(entry);
      else this.blocks.set(key, [block, entry]);
    }
  }

  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    for (const key of this.distinctKeys(entry.record)) {
      const block = this.blocks.get(key);
      if (block === undefined || block === OVERSIZED) continue;
      if (!Array.isArray(block)) {
        if (block === entry) this.blocks.delete(key);
        continue;
      }
      const at = block.indexOf(entry);
      if (at >= 0) block.splice(at, 1);
      if (block.length === 1) this.blocks.set(key, block[0]!);
      else if (block.length === 0) this.blocks.delete(key);
    }
    return true;
  }

  /**
   * Indexed records sharing a usable key with `record` (itself excluded), those sharing the
   * most keys first, then the oldest; at most `limit`. Counts on the entries themselves (a
   * lookup number marks which lookup a count belongs to): no map per lookup.
   */
  candidates(record: MatchRecord, limit: number): MatchRecord[] {
    const keys = [...new Set(this.keysOf(record))];
    this.lastLookup = { record, keys };
    const lookup = ++this.lookups;
    // the record's own entry, if indexed: compared by reference, so that a visit need not read the record
    const self = this.entries.get(record.id);
    const touched: Entry[] = [];
    const visit = (entry: Entry) => {
      if (entry === self) return;
      if (entry.lookup !== lookup) {
        entry.lookup = lookup;
        entry.shared = 0;
        touched.push(entry);
      }
      entry.shared++;
    };
    for (const key of keys) {
      const block = this.blocks.get(key);
      if (block === undefined || block === OVERSIZED) continue;
      if (Array.isArray(block)) for (const entry of block) visit(entry);
      else visit(block);
    }
    touched.sort((x, y) => y.shared - x.shared || x.seq - y.seq);
    const out: MatchRecord[] = [];
    for (let i = 0; i < touched.length && i < limit; i++) out.push(touched[i]!.record);
    return out;
  }

  stats(): CandidateIndexStats {
    return { records: this.entries.size, blocks: this.blocks.size, oversizedBlocks: this.oversized };
  }
}
