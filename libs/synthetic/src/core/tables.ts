import { Rng, WeightedTable } from './rng';

/** The derived reference tables as stored in libs/synthetic/data (see scripts/derive-tables.ts). */
export interface RawNameTables {
  forenames: { M: Record<string, Array<[string, number]>>; F: Record<string, Array<[string, number]>> };
  historicForenames: Record<string, { M: string[]; F: string[] }>;
  surnames: Array<[string, number]>;
  nicknames: Record<string, string[]>;
  forenameVariants: Record<string, string[]>;
  surnameVariants: Record<string, string[]>;
  transliterations: string[][];
}

export interface RawGeoTable {
  lsoas: Array<[code: string, name: string, district: string, imdRank: number, imdDecile: number]>;
}

export interface Lsoa { code: string; name: string; district: string; imdRank: number; imdDecile: number }

export type Sex = 'M' | 'F';

/** Reference tables prepared for fast sampling. */
export class Tables {
  private readonly modern: Record<Sex, Array<{ from: number; to: number; table: WeightedTable<string> }>>;
  private readonly historic: Record<Sex, Array<{ year: number; table: WeightedTable<string> }>>;
  readonly surnames: WeightedTable<string>;
  readonly lsoas: Lsoa[];
  /** Lower-case name -> alternative spellings of the same name (both directions). */
  readonly transliterationOf = new Map<string, string[]>();

  constructor(readonly names: RawNameTables, geo: RawGeoTable) {
    this.modern = { M: [], F: [] };
    this.historic = { M: [], F: [] };
    for (const sex of ['M', 'F'] as const) {
      for (const [cohort, rows] of Object.entries(names.forenames[sex])) {
        const [from, to] = cohort.split('-').map(Number);
        this.modern[sex].push({ from, to, table: new WeightedTable(rows.map((r) => r[0]), rows.map((r) => r[1])) });
      }
      for (const [year, bySex] of Object.entries(names.historicForenames)) {
        const list = bySex[sex];
        // Only ranks exist before 1996: a Zipf weight per rank stands in for the counts.
        this.historic[sex].push({ year: Number(year), table: new WeightedTable(list, list.map((_n, i) => 1 / Math.pow(i + 1, 0.95))) });
      }
      this.historic[sex].sort((a, b) => a.year - b.year);
    }
    this.surnames = new WeightedTable(names.surnames.map((r) => r[0]), names.surnames.map((r) => r[1]));
    this.lsoas = geo.lsoas.map(([code, name, district, imdRank, imdDecile]) => ({ code, name, district, imdRank, imdDecile }));
    for (const group of names.transliterations) {
      for (const n of group) {
        const k = n.toLowerCase();
        const others = group.filter((o) => o !== n);
        this.transliterationOf.set(k, [...(this.transliterationOf.get(k) ?? []), ...others]);
      }
    }
  }

  forename(rng: Rng, sex: Sex, birthYear: number): string {
    if (birthYear >= 1996) {
      const list = this.modern[sex];
      const c = list.find((x) => birthYear >= x.from && birthYear <= x.to) ?? list[list.length - 1];
      return c.table.pick(rng);
    }
    const hist = this.historic[sex];
    let best = hist[0];
    for (const h of hist) if (Math.abs(h.year - birthYear) < Math.abs(best.year - birthYear)) best = h;
    // People born 1990-95 draw partly from the 1996 counts, giving the older cohorts a longer tail.
    if (birthYear >= 1985 && rng.chance(0.35)) return this.modern[sex][0].table.pick(rng);
    return best.table.pick(rng);
  }

  nicknamesOf(forename: string): string[] {
    return this.names.nicknames[forename.toLowerCase()] ?? [];
  }

  variantsOf(forename: string): string[] {
    return this.names.forenameVariants[forename.toLowerCase()] ?? [];
  }

  surnameVariantsOf(surname: string): string[] {
    return this.names.surnameVariants[surname.toLowerCase().replace(/[^a-z]/g, '')] ?? [];
  }
}
