import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreClustering } from '../evaluation/metrics';
import { FeedDescriptor } from '../feeds/model';
import { REALISTIC_V1 } from '../noise/profile';
import { readCsv, readCsvObjects } from './csv-read';
import { decodeWindows1252 } from './encoding';
import { generate, GenerateSummary } from './generate';
import { readRecordTruth } from './truth-reader';

const PERSONS = 1000;

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p.slice(dir.length), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Every person reference in a delivery file, with its row. */
function feedRows(out: string, d: FeedDescriptor, file: string): Array<{ ref: string; row: Record<string, unknown>; person: Record<string, string> }> {
  const path = join(out, file);
  if (d.format === 'csv') return readCsvObjects(path, d.encoding).map((row) => ({ ref: row[d.keyColumn], row, person: row }));
  const bytes = readFileSync(path);
  const text = d.encoding === 'windows-1252' ? decodeWindows1252(bytes) : bytes.toString('utf8');
  return text.split(/\r?\n/).filter((l) => l).flatMap((l) => {
    const row = JSON.parse(l) as Record<string, unknown>;
    return (row[d.personsField as string] as Array<Record<string, string>>).map((person) => ({ ref: person.person_ref, row, person }));
  });
}

describe(generate.name, () => {
  let dirA: string;
  let dirB: string;
  let summary: GenerateSummary;
  let manifest: { feeds: FeedDescriptor[]; linkage: { left: { file: string }; right: { file: string } } };
  let truthRecords: Array<Record<string, string>>;

  beforeAll(() => {
    dirA = mkdtempSync(join(tmpdir(), 'synthetic-a-'));
    dirB = mkdtempSync(join(tmpdir(), 'synthetic-b-'));
    summary = generate({ seed: '42', persons: PERSONS, out: dirA, profile: REALISTIC_V1, scale: 'small' });
    generate({ seed: '42', persons: PERSONS, out: dirB, profile: REALISTIC_V1, scale: 'small' });
    manifest = JSON.parse(readFileSync(join(dirA, 'manifest.json'), 'utf8'));
    truthRecords = readCsvObjects(join(dirA, 'truth', 'records.csv'));
  });

  afterAll(() => {
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  });

  it('gives byte-identical output for the same seed', () => {
    const a = hashTree(dirA);
    const b = hashTree(dirB);
    expect(a.size).toBeGreaterThan(37 * 6);
    expect([...b.entries()]).toEqual([...a.entries()]);
  });

  it('gives different output for another seed', () => {
    const dirC = mkdtempSync(join(tmpdir(), 'synthetic-c-'));
    try {
      generate({ seed: '43', persons: PERSONS, out: dirC, profile: REALISTIC_V1, feeds: ['gp-registrations'] });
      const file = manifest.feeds.find((f) => f.name === 'gp-registrations')?.deliveries[0].file as string;
      expect(readFileSync(join(dirC, file))).not.toEqual(readFileSync(join(dirA, file)));
    } finally {
      rmSync(dirC, { recursive: true, force: true });
    }
  });

  it('generates the small scale fast, with at least 35 feeds of at least 6 deliveries', () => {
    expect(summary.seconds).toBeLessThan(3);
    expect(manifest.feeds.length).toBeGreaterThanOrEqual(35);
    for (const f of manifest.feeds) expect(f.deliveries.length).toBeGreaterThanOrEqual(6);
    expect(new Set(manifest.feeds.map((f) => f.encoding))).toEqual(new Set(['utf-8', 'windows-1252']));
    expect(new Set(manifest.feeds.map((f) => f.format))).toEqual(new Set(['csv', 'jsonl']));
    expect(new Set(manifest.feeds.map((f) => f.dateFormat)).size).toBeGreaterThanOrEqual(5);
  });

  it('has a truth record for every record in every delivery, and no others', () => {
    const truthKeys = new Set(truthRecords.map((r) => `${r.feed}\t${r.record_id}`));
    const seen = new Set<string>();
    for (const d of manifest.feeds) {
      for (const del of d.deliveries) for (const { ref } of feedRows(dirA, d, del.file)) {
        const k = `${d.name}\t${ref}`;
        expect(truthKeys.has(k)).toBe(true);
        seen.add(k);
      }
    }
    expect(seen.size).toBe(truthKeys.size);
    const fast = readRecordTruth(dirA);
    expect(fast.size).toBe(truthKeys.size);
    expect(fast.get(`${truthRecords[0].feed}\t${truthRecords[0].record_id}`)?.personId).toBe(truthRecords[0].person_id);
  });

  it('shows the true person in records that the truth says carry no errors', () => {
    const persons = new Map(readCsvObjects(join(dirA, 'truth', 'persons.csv')).map((p) => [p.person_id, p]));
    const truth = new Map(truthRecords.map((r) => [`${r.feed}\t${r.record_id}`, r]));
    let checked = 0;
    for (const name of ['gp-registrations', 'school-census', 'adult-mental-health']) {
      const d = manifest.feeds.find((f) => f.name === name) as FeedDescriptor;
      const sn = d.columns.find((c) => c.role === 'surname')?.name as string;
      const fn = d.columns.find((c) => c.role === 'forename')?.name as string;
      for (const { ref, person } of feedRows(dirA, d, d.deliveries[0].file)) {
        const t = truth.get(`${name}\t${ref}`) as Record<string, string>;
        if (t.noise !== '') continue;
        const p = persons.get(t.person_id) as Record<string, string>;
        expect(person[fn]).toBe(p.forename);
        expect([p.surname, p.birth_surname]).toContain(person[sn]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('delivers new records, updates or corrections, and withdrawals', () => {
    const actions = new Map<string, number>();
    for (const d of manifest.feeds.filter((f) => f.kind === 'delta' && f.format === 'csv')) {
      const col = d.actionColumn as NonNullable<FeedDescriptor['actionColumn']>;
      for (const del of d.deliveries) for (const { row } of feedRows(dirA, d, del.file)) {
        const a = String(row[col.name]);
        const kind = a === col.insert ? 'insert' : a === col.update ? 'update' : 'delete';
        actions.set(kind, (actions.get(kind) ?? 0) + 1);
      }
    }
    expect(actions.get('insert')).toBeGreaterThan(1000);
    expect(actions.get('update')).toBeGreaterThan(20);
    expect(actions.get('delete')).toBeGreaterThan(5);
    expect(truthRecords.some((r) => r.corrected_in !== '')).toBe(true);
    expect(truthRecords.some((r) => r.withdrawn_in !== '' && r.duplicate_of !== '')).toBe(true);
  });

  it('applies noise at roughly the profile rate across feeds', () => {
    const noisy = truthRecords.filter((r) => r.noise !== '').length / truthRecords.length;
    expect(noisy).toBeGreaterThan(0.05);
    expect(noisy).toBeLessThan(0.6);
    const dups = truthRecords.filter((r) => r.duplicate_of !== '' && r.parent_record_id === '').length;
    const flat = truthRecords.filter((r) => r.parent_record_id === '' && r.feed !== 'gp-registrations' && r.feed !== 'electoral-register').length;
    expect(dups / flat).toBeGreaterThan(REALISTIC_V1.duplicateRate * 0.5);
    expect(dups / flat).toBeLessThan(REALISTIC_V1.duplicateRate * 1.6);
  });

  it('backs every criterion a family meets with a record in a feed about one of its members', () => {
    const FEEDS: Record<string, string[]> = {
      crime: ['police-offences', 'youth-offending', 'probation-orders', 'police-asb'],
      school: ['school-attendance', 'school-exclusions', 'pru-roll', 'children-missing-education'],
      children: ['csc-child-in-need', 'csc-child-protection', 'early-help', 'cse-screening', 'young-carers', 'camhs-referrals', 'missing-episodes', 'early-years-funding'],
      work: ['dwp-benefits', 'rent-arrears', 'neet-tracking'],
      domestic_abuse: ['police-domestic-incidents'],
      health: ['adult-mental-health', 'substance-misuse', 'maternity'],
    };
    const members = new Map<string, Set<string>>();
    for (const m of readCsvObjects(join(dirA, 'truth', 'family_members.csv'))) {
      if (m.to !== '') continue;
      if (!members.has(m.family_id)) members.set(m.family_id, new Set());
      members.get(m.family_id)?.add(m.person_id);
    }
    const personsInFeed = new Map<string, Set<string>>();
    for (const r of truthRecords) {
      if (!personsInFeed.has(r.feed)) personsInFeed.set(r.feed, new Set());
      personsInFeed.get(r.feed)?.add(r.person_id);
    }
    const families = readCsvObjects(join(dirA, 'truth', 'family_criteria.csv'));
    expect(families.length).toBeGreaterThan(50);
    let checked = 0;
    for (const f of families) {
      for (const [criterion, feeds] of Object.entries(FEEDS)) {
        if (f[criterion] !== '1') continue;
        const people = [...(members.get(f.family_id) ?? [])];
        expect(people.some((p) => feeds.some((feed) => personsInFeed.get(feed)?.has(p)))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(summary.familiesMeeting1 + summary.familiesMeeting2Plus).toBe(families.filter((f) => f.criteria_met !== '0').length);
  });

  it('builds a linkage case with no duplicates within each side', () => {
    const pairs = readCsvObjects(join(dirA, 'truth', 'linkage_pairs.csv'));
    const truth = new Map(truthRecords.map((r) => [`${r.feed}\t${r.record_id}`, r.person_id]));
    const left = readCsv(join(dirA, manifest.linkage.left.file)).slice(1).map((r) => truth.get(`electoral-register\t${r[0]}`) as string);
    const right = readCsv(join(dirA, manifest.linkage.right.file)).slice(1).map((r) => truth.get(`gp-registrations\t${r[0]}`) as string);
    expect(new Set(left).size).toBe(left.length);
    expect(new Set(right).size).toBe(right.length);
    const shared = left.filter((p) => new Set(right).has(p)).length;
    expect(pairs.length).toBe(shared);
    expect(shared).toBeGreaterThan(left.length * 0.7);
    // Scoring the truth itself is perfect; scoring exact-name matching is not.
    const labels = [...left, ...right];
    const source = [...left.map(() => 0), ...right.map(() => 1)];
    expect(scoreClustering(labels, labels, source).pairwise.f1).toBe(1);
    const leftRows = readCsvObjects(join(dirA, manifest.linkage.left.file));
    const rightRows = readCsvObjects(join(dirA, manifest.linkage.right.file));
    const naive = [
      ...leftRows.map((r) => `${r.ElectorForename}|${r.ElectorSurname}|${r.PostCode}`.toLowerCase()),
      ...rightRows.map((r) => `${r.GIVEN_NAME}|${r.FAMILY_NAME}|${r.POSTCODE}`.toLowerCase()),
    ];
    const s = scoreClustering(naive, labels, source);
    expect(s.pairwise.recall).toBeLessThan(0.99);
    expect(s.pairwise.recall).toBeGreaterThan(0.5);
  });
});
