import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generate, readCsv, readCsvObjects, readRecordTruth, REALISTIC_V1 } from '@hub/synthetic';
import { checkFeedAgreements, compileFeed, loadAgreements, loadFeedConfigs, type CompiledFeed, type ExprObject, type FeedConfig } from './domain';

const CONFIG_DIR = join(__dirname, '..', '..', 'config');
// Made-up rows in the public benchmarks' layouts (the project's tests never read ../shared).
const FEBRL_SAMPLE = [
  'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id',
  'rec-101-org, alana, whitfield, 12, tarrant crescent, , kingsford, 2032, nsw, 19830417, 4017561',
  'rec-101-dup-0, alana, whitfeld, 12, tarrant cres, , kingsford, 2032, nsw, 19830714, 4017561',
  'rec-102-org, jordan, pellow, 7, mcalister street, rosebank, west launceston, 7250, tas, , 9920373',
  'rec-103-org, , ostrowski, 140, banksia place, , ormeau, 4208, qld, 19710902, ',
].join('\n');
const FAKE1000_SAMPLE = [
  'unique_id,first_name,surname,dob,city,email,cluster',
  '0,Harriet,Ashdown,1994-08-12,Leeds,harriet.ashdown@example.org,0',
  '1,Harriet,Ashdowne,1994-08-12,,harriet.ashdown@example.org,0',
  '2,Tobias,Quennell,1961-01-30,Bristol,,1',
].join('\n');
const TODAY = '2026-11-26';

function loadShippedConfigs(): FeedConfig[] {
  const dir = join(CONFIG_DIR, 'feeds');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  return loadFeedConfigs(files.map((f) => ({ ...(parse(readFileSync(join(dir, f), 'utf8')) as object), __file: f })));
}

/** Every column any expression of a configuration reads. */
function columnsRead(config: FeedConfig): Set<string> {
  const out = new Set<string>();
  const visit = (e: ExprObject | null | undefined) => {
    if (!e) return;
    if (e.column) out.add(e.column);
    if (e.path) out.add(e.path.split('.')[0]);
    [...(e.concat ?? []), ...(e.first ?? []), ...(e.difference ?? [])].forEach(visit);
  };
  for (const t of config.records) {
    visit(t.id);
    if (t.when) visit({ column: t.when.column, path: t.when.path });
    for (const value of Object.values(t.fields)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && !('column' in value || 'path' in value || 'const' in value || 'concat' in value || 'first' in value || 'difference' in value)) Object.values(value as Record<string, ExprObject>).forEach(visit);
      else visit(value as ExprObject);
    }
  }
  return out;
}

describe('shipped feed configurations', () => {
  const configs = loadShippedConfigs();
  const feeds = new Map(configs.map((c) => [c.name, compileFeed(c, { today: TODAY })]));

  it('all load and compile, and each JSON Schema names the source fields', () => {
    expect(configs.length).toBeGreaterThanOrEqual(39);
    for (const feed of feeds.values()) {
      const schema = feed.jsonSchema() as { properties: Record<string, unknown>; required: string[] };
      expect(Object.keys(schema.properties)).toEqual(feed.config.columns);
      expect(schema.required).toEqual([feed.config.keyColumn.split('.')[0]]);
    }
  });

  it('agree with the data-sharing agreement register', () => {
    const agreements = loadAgreements(parse(readFileSync(join(CONFIG_DIR, 'agreements.yaml'), 'utf8')), 'agreements.yaml');
    expect(checkFeedAgreements(configs, agreements)).toEqual([]);
  });

  it('never map a ground-truth column into a canonical field', () => {
    const febrl = feeds.get('febrl')!.config;
    expect(febrl.keyColumn).toBe('rec_id');
    expect(columnsRead(febrl).has('rec_id')).toBe(false);
    const fake = feeds.get('fake1000')!.config;
    expect(fake.keyColumn).toBe('unique_id');
    expect(columnsRead(fake).has('cluster')).toBe(false);
    expect(columnsRead(fake).has('unique_id')).toBe(false);
  });

  it('map the FEBRL layout: Australian postcodes are not flagged, rec_id stays the source record id only', () => {
    const feed = feeds.get('febrl')!;
    const [header, ...rows] = FEBRL_SAMPLE.split('\n').map((line) => line.split(',').map((v) => v.replace(/^ /, '')));
    expect(header).toEqual(feed.expectedColumns);
    let rejected = 0;
    for (const values of rows) {
      const row = Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
      const mapped = feed.mapRow(row);
      if (mapped.outcome !== 'accepted') { rejected++; continue; }
      expect(mapped.sourceRecordId).toBe(row.rec_id);
      expect(mapped.flags.filter((f) => f.code === 'INGEST.INVALID_POSTCODE' && /^\d{4}$/.test(row.postcode))).toEqual([]);
      const [record] = mapped.records;
      expect(JSON.stringify(record.type === 'person' ? record.person : record)).not.toContain(row.rec_id);
      if (record.type === 'person' && row.soc_sec_id) expect(record.person.identifiers).toEqual([{ scheme: 'LOCAL', value: row.soc_sec_id, issuer: 'febrl.soc_sec_id' }]);
    }
    expect(rejected / rows.length).toBeLessThan(feed.rejectThreshold);
  });

  it('map the fake_1000 layout: city becomes the locality, e-mails are kept, cluster is not', () => {
    const feed = feeds.get('fake1000')!;
    const [columns, ...lines] = FAKE1000_SAMPLE.split('\n').map((line) => line.split(','));
    const rows = lines.map((values) => Object.fromEntries(columns!.map((column, i) => [column, values[i] ?? ''])));
    for (const row of rows) {
      const mapped = feed.mapRow(row);
      expect(mapped.outcome).toBe('accepted');
      if (mapped.outcome !== 'accepted' || mapped.records[0].type !== 'person') continue;
      const { person } = mapped.records[0];
      if (row.city) expect(person.addresses?.[0]?.locality).toBe(row.city);
      expect(person.identifiers).toEqual([]);
    }
  });

  describe('against a freshly generated small synthetic city', () => {
    let dir: string;
    let manifest: { feeds: Array<{ name: string; format: string; deliveries: Array<{ file: string }> }> };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hub-city-'));
      generate({ seed: '1', persons: 1000, out: dir, profile: REALISTIC_V1 });
      manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function rowsOf(feed: CompiledFeed, file: string): { header: string[] | null; rows: Array<Record<string, unknown>> } {
      if (feed.format === 'jsonl') {
        const text = readFileSync(join(dir, file), 'utf8');
        return { header: null, rows: text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) };
      }
      const [header, ...values] = readCsv(join(dir, file), feed.encoding);
      return { header, rows: values.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
    }

    it('has a configuration for every feed whose columns match every delivery', () => {
      for (const descriptor of manifest.feeds) {
        const feed = feeds.get(descriptor.name);
        expect(feed?.name).toBe(descriptor.name);
        for (const delivery of descriptor.deliveries) {
          const { header, rows } = rowsOf(feed!, delivery.file);
          if (header !== null) expect(header).toEqual(feed!.expectedColumns);
          for (const row of rows) {
            for (const key of Object.keys(row)) expect(feed!.config.columns).toContain(key);
          }
        }
      }
    });

    it('maps every row without an exception and below each feed\'s reject threshold; known truth survives', () => {
      const truth = readRecordTruth(dir);
      const persons = new Map(readCsvObjects(join(dir, 'truth', 'persons.csv')).map((p) => [p.person_id, p]));
      let checked = 0;
      for (const descriptor of manifest.feeds) {
        const feed = feeds.get(descriptor.name)!;
        let rows = 0;
        let rejected = 0;
        for (const delivery of descriptor.deliveries) {
          for (const row of rowsOf(feed, delivery.file).rows) {
            rows++;
            const mapped = feed.mapRow(row);
            if (mapped.outcome === 'rejected') rejected++;
            if (mapped.outcome !== 'accepted') continue;
            for (const record of mapped.records) {
              if (record.type !== 'person') continue;
              const t = truth.get(`${feed.name}\t${record.sourceRecordId}`);
              if (!t || t.noise.length > 0 || t.duplicateOf) continue;
              const p = persons.get(t.personId)!;
              expect(record.qualityFlags).toEqual([]);
              if (record.person.dateOfBirth) expect(record.person.dateOfBirth).toBe(p.date_of_birth);
              for (const id of record.person.identifiers ?? []) {
                const expected = { NHS: p.nhs_number, NI: p.ni_number, UPN: p.upn, PNC: p.pnc_id }[id.scheme as 'NHS'];
                if (expected !== undefined) expect(id.value).toBe(expected);
              }
              checked++;
            }
          }
        }
        expect({ feed: feed.name, belowThreshold: rows === 0 || rejected / rows < feed.rejectThreshold }).toEqual({ feed: feed.name, belowThreshold: true });
      }
      expect(checked).toBeGreaterThan(1000);
    });
  });
});
