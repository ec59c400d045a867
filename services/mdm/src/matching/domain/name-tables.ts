/**
 * Which spellings count as the same name (nicknames, variants, transliterations). The tables
 * are reference data passed in by the caller (the synthetic library ships a set), so the
 * matcher stays pure and a council can supply its own.
 */

export interface NameTables {
  /** Lower-case a-z given name -> names that may stand for it (both directions present). */
  readonly given: ReadonlyMap<string, readonly string[]>;
  readonly family: ReadonlyMap<string, readonly string[]>;
}

export interface RawNameEquivalences {
  nicknames?: Record<string, readonly string[]>;
  forenameVariants?: Record<string, readonly string[]>;
  surnameVariants?: Record<string, readonly string[]>;
  /** Groups of spellings of one name (transliterations), any letter case. */
  transliterations?: ReadonlyArray<readonly string[]>;
}

export const NO_NAME_TABLES: NameTables = { given: new Map(), family: new Map() };

/** Equivalents per name are capped so that one promiscuous entry cannot bloat every record. */
const MAX_EQUIVALENTS = 40;

const key = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

function addPair(into: Map<string, Set<string>>, a: string, b: string): void {
  const ka = key(a);
  const kb = key(b);
  if (!ka || !kb || ka === kb) return;
  let set = into.get(ka);
  if (!set) into.set(ka, (set = new Set()));
  set.add(kb);
  let back = into.get(kb);
  if (!back) into.set(kb, (back = new Set()));
  back.add(ka);
}

function freeze(from: Map<string, Set<string>>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [name, set] of from) out.set(name, [...set].sort().slice(0, MAX_EQUIVALENTS));
  return out;
}

export function buildNameTables(raw: RawNameEquivalences): NameTables {
  const given = new Map<string, Set<string>>();
  const family = new Map<string, Set<string>>();
  for (const table of [raw.nicknames, raw.forenameVariants]) {
    for (const [name, others] of Object.entries(table ?? {})) for (const o of others) addPair(given, name, o);
  }
  for (const [name, others] of Object.entries(raw.surnameVariants ?? {})) for (const o of others) addPair(family, name, o);
  for (const group of raw.transliterations ?? []) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) addPair(given, group[i], group[j]);
  }
  return { given: freeze(given), family: freeze(family) };
}
