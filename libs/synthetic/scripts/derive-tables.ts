/*
 * Derives the compact tables in libs/synthetic/data from the public files in ../shared/datasets.
 * Run once when the source tables change:
 *   node scripts/run-ts.mjs libs/synthetic/scripts/derive-tables.ts [../shared/datasets]
 * The generator and its tests read only the derived files, never ../shared.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const repoRoot = resolve(__dirname, '../../..');
const shared = resolve(process.argv[2] ?? join(repoRoot, '../shared/datasets'));
const outDir = resolve(__dirname, '../data');

function csvRows(path: string): string[][] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  return text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .slice(1)
    .map(splitCsvLine);
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

/** ONS published upper case before 2021 and ukbabynames title-cased unevenly: one display form per name. */
function displayForename(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((p) => (p.length === 0 ? p : p[0].toUpperCase() + p.slice(1)))
    .join('-')
    .replace(/^Mc([a-z])/, (_m, c: string) => 'Mc' + c.toUpperCase());
}

const VALID_FORENAME = /^[A-Za-z][A-Za-z'-]*[A-Za-z]$/;

// Birth cohorts for the ONS 1996-2024 counts; counts are summed within a cohort.
const COHORTS: Array<[number, number]> = [
  [1996, 2000], [2001, 2005], [2006, 2010], [2011, 2015], [2016, 2020], [2021, 2024],
];
// Names rarer than this in a cohort are dropped to keep the table compact; the kept tail still
// holds thousands of names per cohort and sex.
const MIN_COHORT_COUNT = 15;

function deriveModernForenames(file: string): Record<string, Array<[string, number]>> {
  const byCohort: Record<string, Map<string, number>> = {};
  for (const [c0, c1] of COHORTS) byCohort[`${c0}-${c1}`] = new Map();
  for (const [year, name, count] of csvRows(file)) {
    const y = Number(year);
    if (!VALID_FORENAME.test(name)) continue;
    const cohort = COHORTS.find(([a, b]) => y >= a && y <= b);
    if (!cohort) continue;
    const key = displayForename(name);
    const m = byCohort[`${cohort[0]}-${cohort[1]}`];
    m.set(key, (m.get(key) ?? 0) + Number(count));
  }
  const out: Record<string, Array<[string, number]>> = {};
  for (const [k, m] of Object.entries(byCohort)) {
    out[k] = [...m.entries()]
      .filter(([, n]) => n >= MIN_COHORT_COUNT)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }
  return out;
}

function deriveHistoricForenames(file: string): Record<string, { M: string[]; F: string[] }> {
  const out: Record<string, { M: string[]; F: string[] }> = {};
  const rows = csvRows(file).sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[3]) - Number(b[3]));
  for (const [year, sex, name] of rows) {
    out[year] ??= { M: [], F: [] };
    out[year][sex as 'M' | 'F'].push(displayForename(name));
  }
  return out;
}

const IRISH_O = /^o(brien|neill?|connor|connell|donnell|sullivan|hara|rourke|driscoll|keefe|malley|leary|grady|donoghue|kane|dowd|hare|mahony|reilly|shea|toole|flaherty|halloran|callaghan|dwyer|gorman|meara|riordan|carroll)$/;

function displaySurname(key: string): string {
  const m = IRISH_O.exec(key);
  if (m) return "O'" + m[1][0].toUpperCase() + m[1].slice(1);
  const cap = key[0].toUpperCase() + key.slice(1);
  return cap.replace(/^Mc([a-z])/, (_x, c: string) => 'Mc' + c.toUpperCase());
}

function deriveSurnames(): Array<[string, number]> {
  const compact = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  const merged = new Map<string, [string, number]>();
  // Faker weights are percentages; the sdglinkage list gives the long tail and fills names Faker lacks.
  for (const [name, w] of csvRows(join(shared, 'names/surnames_uk_sdglinkage.csv'))) {
    const k = compact(name);
    const prev = merged.get(k);
    merged.set(k, [displaySurname(k), (prev?.[1] ?? 0) + Number(w)]);
  }
  for (const [name, w] of csvRows(join(shared, 'names/surnames_en_GB_faker.csv'))) {
    merged.set(compact(name), [name, Number(w) / 100]);
  }
  return [...merged.values()]
    .map(([n, w]): [string, number] => [n, Math.round(w * 1e6)])
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function deriveVariantMap(file: string, known: Set<string>, maxPer: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [a, , b] of csvRows(file).map((r) => (r.length === 3 && r[1] === 'has_nickname' ? r : [r[0], '', r[1]]))) {
    if (!/^[a-z][a-z'-]+$/.test(a) || !/^[a-z][a-z'-]+$/.test(b) || a === b) continue;
    if (!known.has(a)) continue;
    const list = (out[a] ??= []);
    if (list.length < maxPer && !list.includes(b)) list.push(b);
  }
  return out;
}

// Invented for this project (not from a dataset): spellings that differ by transliteration or by
// diacritics. Diacritics matter because some feeds are Windows-1252 encoded.
const TRANSLITERATIONS: string[][] = [
  ['Muhammad', 'Mohammed', 'Mohammad', 'Mohamed', 'Muhammed'],
  ['Aisha', 'Ayesha', 'Aysha', 'Aishah'], ['Fatima', 'Fatimah', 'Fatema'], ['Yusuf', 'Yousef', 'Youssef', 'Yusef'],
  ['Ibrahim', 'Ebrahim', 'Ibraheem'], ['Abdullah', 'Abdallah'], ['Hussain', 'Hussein', 'Husain'], ['Ahmed', 'Ahmad'],
  ['Khadija', 'Khadijah', 'Khadeeja'], ['Zainab', 'Zaynab', 'Zaineb'], ['Maryam', 'Mariam', 'Meryem'], ['Omar', 'Umar'],
  ['Hamza', 'Hamzah'], ['Amir', 'Ameer'], ['Mustafa', 'Mostafa', 'Moustafa'], ['Hassan', 'Hasan'], ['Zahra', 'Zehra'],
  ['Oleksandr', 'Aleksandr', 'Alexander'], ['Sergei', 'Sergey', 'Serhiy'], ['Natalia', 'Nataliya', 'Natalya'],
  ['Yulia', 'Iuliia', 'Julia'], ['Dmitri', 'Dmitry', 'Dmytro'], ['Mikhail', 'Mykhailo', 'Michal'],
  ['Zoe', 'Zoë'], ['Chloe', 'Chloé'], ['Renee', 'Renée'], ['Sian', 'Siân'], ['Sean', 'Seán'], ['Sinead', 'Sinéad'],
  ['Aine', 'Áine'], ['Eoin', 'Eóin'], ['Jose', 'José'], ['Andre', 'André'], ['Noemi', 'Noémi'], ['Ines', 'Inès'],
  ['Khan', 'Kahn'], ['Chowdhury', 'Choudhury', 'Chaudhry'], ['Mohamud', 'Mohamoud', 'Mahamud'], ['Hussein', 'Hussain'],
  ['Ali', 'Aly'], ['Rahman', 'Rehman'], ['Begum', 'Begam'], ['Nowak', 'Novak'], ['Kowalski', 'Kovalsky'],
  ['Wozniak', 'Woźniak'], ['Lewandowski', 'Levandovski'], ['Nguyen', 'Nguyễn'], ['Abdi', 'Abdy'], ['Yilmaz', 'Yılmaz'],
];

function deriveGeo() {
  const rows = csvRows(join(shared, 'geo/imd2019_lsoa_liverpool_E08000012.csv'));
  const lsoas = rows.map(([code, name, , , rank, decile]) => ({
    code,
    name,
    msoa: Number(name.replace(/^Liverpool /, '').slice(0, 3)),
    imdRank: Number(rank.replace(/,/g, '')),
    imdDecile: Number(decile),
  }));
  // No open postcode->LSOA lookup is available (see datasets/README.md): MSOAs are dealt into
  // real Liverpool postcode districts in a fixed north-to-south order. Plausible, not real geography.
  const districts = ['L9', 'L10', 'L11', 'L4', 'L5', 'L6', 'L13', 'L12', 'L14', 'L3', 'L1', 'L2', 'L7', 'L8',
    'L15', 'L16', 'L17', 'L18', 'L25', 'L19', 'L26', 'L24', 'L27'];
  const msoas = [...new Set(lsoas.map((l) => l.msoa))].sort((a, b) => a - b);
  const districtOf = new Map(msoas.map((m, i) => [m, districts[Math.floor((i * districts.length) / msoas.length)]]));
  return {
    attribution: 'Contains public sector information licensed under the Open Government Licence v3.0 (MHCLG, English indices of deprivation 2019).',
    note: 'LSOA codes, names, IMD rank and decile are real. The postcode district of each LSOA is a synthetic assignment.',
    lsoas: lsoas
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((l) => [l.code, l.name, districtOf.get(l.msoa), l.imdRank, l.imdDecile]),
  };
}

function main(): void {
  const boys = deriveModernForenames(join(shared, 'names/ew_babynames_1996_2024_boys.csv'));
  const girls = deriveModernForenames(join(shared, 'names/ew_babynames_1996_2024_girls.csv'));
  const historic = deriveHistoricForenames(join(shared, 'names/ew_hist.csv'));
  const knownForenames = new Set<string>();
  for (const t of [boys, girls]) for (const list of Object.values(t)) for (const [n] of list) knownForenames.add(n.toLowerCase());
  for (const y of Object.values(historic)) for (const n of [...y.M, ...y.F]) knownForenames.add(n.toLowerCase());
  const surnames = deriveSurnames();
  const knownSurnames = new Set(surnames.map(([n]) => n.toLowerCase().replace(/[^a-z]/g, '')));
  const names = {
    attribution: [
      'Forenames: Source: Office for National Statistics licensed under the Open Government Licence v3.0 (baby names 1996-2024, top-100 1904-1994).',
      'Surnames: sdglinkage lastname_uk (MIT, (c) 2020 Haoyuan Zhang) merged with Faker en_GB last names (MIT, (c) 2012 Daniele Faraglia).',
      'Nicknames: carltonnorthern/nicknames (Apache-2.0, Old Dominion University Web Science and Digital Libraries Research Group).',
      'Forename and surname variants: sdglinkage firstname_uk_variant / lastname_uk_variant (MIT, (c) 2020 Haoyuan Zhang).',
      'Transliteration and diacritic variants: written for this project.',
    ],
    forenames: { M: boys, F: girls },
    historicForenames: historic,
    surnames,
    nicknames: deriveVariantMap(join(shared, 'names/nicknames.csv'), knownForenames, 6),
    forenameVariants: deriveVariantMap(join(shared, 'names/firstname_variants_uk_sdglinkage.csv'), knownForenames, 6),
    surnameVariants: deriveVariantMap(join(shared, 'names/surname_variants_uk_sdglinkage.csv'), knownSurnames, 4),
    transliterations: TRANSLITERATIONS,
  };
  writeFileSync(join(outDir, 'names.json.gz'), gzipSync(Buffer.from(JSON.stringify(names)), { level: 9 }));
  writeFileSync(join(outDir, 'geo.json'), JSON.stringify(deriveGeo(), null, 0) + '\n');
  const counts = Object.fromEntries(Object.entries(boys).map(([k, v]) => [k, [v.length, girls[k].length]]));
  process.stdout.write(JSON.stringify({ cohorts: counts, surnames: surnames.length, nicknames: Object.keys(names.nicknames).length }) + '\n');
}

main();
