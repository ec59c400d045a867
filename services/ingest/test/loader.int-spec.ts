import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { generate, REALISTIC_V1 } from '@hub/synthetic';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@hub/platform';
import { TcpProxy, throughProxy } from '@hub/testkit';
import { FeedConfigError } from '../src/feeds/domain';
import { FeedRegistry } from '../src/feeds/feed-registry';
import { LoadRunner } from '../src/loads/load-runner';
import { type HeldRecord, RecordStore } from '../src/loads/record-store';
import { KafkaPublisher } from '../src/publishing/kafka-publisher';
import { RejectsService } from '../src/rejects/rejects.service';
import { BENCH_HEADER, ingestHarness, type IngestHarness, personRow, writeFile } from './ingest-harness';

const csv = (...rows: string[]) => `${BENCH_HEADER}\n${rows.join('\n')}\n`;

describe('ingest loads, against the real Kafka and PostgreSQL', () => {
  let hub: IngestHarness;
  let dir: string;

  beforeAll(async () => {
    hub = await ingestHarness('loader');
    dir = mkdtempSync(join(tmpdir(), 'hub-ingest-'));
  });
  afterAll(() => hub.close());

  it('turns a delivery into validated Avro events and resending it changes nothing', async () => {
    const file = writeFile(dir, 'first.csv', csv(personRow(1), personRow(2), personRow(3, { forename: '  mary-jane ', dob: '31/12/1999' })));
    const report = await hub.runner.loadFile('test-people', file);
    expect(report).toMatchObject({ status: 'completed', rows: 3, accepted: 3, rejected: 0, duplicates: 0 });
    const persons = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key.startsWith('test-people/'));
    expect(persons).toHaveLength(3);
    const third = persons.find((m) => m.key === 'test-people/P3')!.value as { person: { name: { givenNames: string[] }; dateOfBirth: string; identifiers: { scheme: string; value: string }[] } };
    expect(third.person.dateOfBirth).toBe('1999-12-31');
    expect(third.person.identifiers).toEqual([expect.objectContaining({ scheme: 'NHS' })]);
    expect((await hub.read('hub.ingest.partner-records.v1')).filter((m) => m.key.startsWith('test-people/'))).toHaveLength(3);

    const again = await hub.runner.loadFile('test-people', writeFile(dir, 'first-again.csv', csv(personRow(1), personRow(2), personRow(3, { forename: '  mary-jane ', dob: '31/12/1999' }))));
    expect(again).toMatchObject({ status: 'completed', rows: 3, accepted: 0, duplicates: 3 });
    expect((await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key.startsWith('test-people/'))).toHaveLength(3);

    const changed = await hub.runner.loadFile('test-people', writeFile(dir, 'second.csv', csv(personRow(1), personRow(2, { surname: 'Renamed' }))));
    expect(changed).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('keeps every bad row with its reason and original bytes, and replays a corrected one', async () => {
    const long = 'Longname'.repeat(375); // 3,000 characters
    const file = writeFile(dir, 'bad.csv', [
      BENCH_HEADER,
      personRow(10),
      personRow(11, { forename: 'Zoë 👩‍👧', surname: 'Ørsted' }),
      personRow(12, { surname: long }),
      'P13,Only,Three',
      personRow(14, { surname: 'O"Brien' }),
      personRow(15, { nhs_number: '9990000001' }),
      personRow(16),
      '',
    ].join('\n'));
    const report = await hub.runner.loadFile('test-people', file);
    expect(report.status).toBe('completed');
    expect(report.rows).toBe(7);
    const rejects = new RejectsService(hub.feeds, hub.runner, hub.dataSource);
    const listed = await rejects.list('test-people', {});
    const codes = listed.flatMap((reject) => reject.reasons.map((reason) => reason.code));
    expect(codes).toEqual(expect.arrayContaining(['INGEST.CSV_RECORD_INCONSISTENT_COLUMNS', 'INGEST.INVALID_OPENING_QUOTE']));
    expect(report.accepted + report.rejected).toBe(7);
    // rows 10, 11 (emoji kept), 12 (3,000 characters capped), 15 (bad NHS number nulled and flagged) and 16 are accepted
    const persons = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => ['test-people/P11', 'test-people/P12', 'test-people/P15'].includes(m.key));
    const byKey = new Map(persons.map((m) => [m.key, m.value as { person: { name: { familyName: string; givenNames: string[] }; identifiers: unknown[] }; qualityFlags: { code: string }[] }]));
    expect(byKey.get('test-people/P11')!.person.name.familyName).toBe('Ørsted');
    expect(byKey.get('test-people/P12')!.person.name.familyName!.length).toBeLessThanOrEqual(255);
    expect(byKey.get('test-people/P15')!.person.identifiers).toEqual([]);
    expect(byKey.get('test-people/P15')!.qualityFlags.map((flag) => flag.code)).toContain('INGEST.INVALID_NHS_NUMBER');
    let rejectedEvents = 0;
    for (let i = 0; i < 50 && rejectedEvents < report.rejected; i++) {
      rejectedEvents = (await hub.read('hub.ingest.record-rejected.v1')).length;
      if (rejectedEvents < report.rejected) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rejectedEvents).toBe(report.rejected);

    const columns = listed.find((reject) => reject.reasons.some((reason) => reason.code === 'INGEST.CSV_RECORD_INCONSISTENT_COLUMNS'))!;
    const corrected = Object.fromEntries(BENCH_HEADER.split(',').map((column, index) => [column, personRow(13).split(',')[index]]));
    const outcome = await rejects.replay(columns.id, corrected);
    expect(outcome.outcome).toBe('accepted');
    expect((await rejects.list('test-people', { status: 'corrected' })).map((reject) => reject.id)).toContain(columns.id);
  });

  it('refuses files it cannot read as declared, clearly, and applies nothing of them; keeps what an unclosed quote swallowed', async () => {
    const latin = Buffer.concat([Buffer.from(`${BENCH_HEADER}\nP20,Ren`), Buffer.from([0xe9]), Buffer.from(`e,Smith,01/01/1990,F,,1 Road,L1 8JQ,1\n`)]);
    const wrongEncoding = await hub.runner.loadFile('test-people', writeFile(dir, 'latin.csv', latin));
    expect(wrongEncoding).toMatchObject({ status: 'failed', reason: { code: 'INGEST.ENCODING_MISMATCH' }, accepted: 0 });
    // an opening quote that never closes swallows the rest of the file: that row is rejected with its reason, and
    // its raw bytes (the rest of the file, row P23 included) are kept for correction and replay
    const unbalanced = await hub.runner.loadFile('test-people', writeFile(dir, 'unbalanced.csv', csv(personRow(21), 'P22,"Never closed,Smith,01/01/1990,F,,1 Road,L1 8JQ,1', personRow(23))));
    expect(unbalanced).toMatchObject({ status: 'completed', rows: 2, accepted: 1, rejected: 1, rejectsByReason: { 'INGEST.CSV_QUOTE_NOT_CLOSED': 1 } });
    const [swallowed] = (await hub.dataSource.query(`SELECT raw FROM rejected_record WHERE load_id = $1`, [unbalanced.load])) as { raw: Buffer }[];
    expect(swallowed!.raw.toString('utf8')).toContain('P23,Ada');
    const empty = await hub.runner.loadFile('test-people', writeFile(dir, 'empty.csv', ''));
    expect(empty).toMatchObject({ status: 'failed', reason: { code: 'INGEST.EMPTY_FILE' } });
    await expect(hub.runner.loadFile('no-such-feed', writeFile(dir, 'x.csv', csv(personRow(1))))).rejects.toMatchObject({ code: 'INGEST.UNKNOWN_FEED' });
    await expect(hub.runner.loadFile('test-expired', writeFile(dir, 'y.csv', csv(personRow(1))))).rejects.toMatchObject({ code: 'INGEST.NO_ACTIVE_AGREEMENT' });
    expect((await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key.startsWith('test-expired/'))).toHaveLength(0);
  });

  it('names the file, feed and field of an invalid mapping', () => {
    const bad = mkdtempSync(join(tmpdir(), 'hub-bad-feeds-'));
    writeFileSync(join(bad, 'broken.yaml'), 'name: broken\npartner: p\nkind: sometimes\nformat: csv\ncolumns: [a]\nkeyColumn: b\nrecords: []\n');
    expect.assertions(3);
    try {
      FeedRegistry.fromDirectory(bad);
    } catch (error) {
      expect(error).toBeInstanceOf(FeedConfigError);
      expect((error as Error).message).toContain('broken.yaml');
      expect((error as Error).message).toMatch(/kind/);
    }
  });

  it('quarantines a delivery whose header differs or whose rejects pass the threshold, and releases it on request', async () => {
    const header = await hub.runner.loadFile('test-people', writeFile(dir, 'header.csv', `${BENCH_HEADER.replace('surname', 'last_name')}\n${personRow(30)}\n`));
    expect(header).toMatchObject({ status: 'quarantined', reason: { code: 'INGEST.HEADER_MISMATCH' }, accepted: 0 });
    const strictFile = writeFile(dir, 'strict.csv', csv(personRow(40), personRow(41, { nhs_number: '9990000001' }), personRow(42, { nhs_number: '9990000002' })));
    const strict = await hub.runner.loadFile('test-strict', strictFile);
    expect(strict).toMatchObject({ status: 'quarantined', reason: { code: 'INGEST.REJECT_RATE_EXCEEDED' } });
    expect((await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key.startsWith('test-strict/'))).toHaveLength(0);
    const released = await hub.runner.release(strict.load);
    expect(released).toMatchObject({ status: 'completed', accepted: 1, rejected: 2 });
  });

  it('withdraws what a load brought when it is undone, and what a snapshot no longer holds', async () => {
    const load = await hub.runner.loadFile('test-people', writeFile(dir, 'undo.csv', csv(personRow(50), personRow(51))));
    const undone = await hub.runner.undo(load.load);
    expect(undone).toMatchObject({ status: 'undone', withdrawn: 2 });
    const withdrawals = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => ['test-people/P50', 'test-people/P51'].includes(m.key) && m.name === 'PartnerRecordWithdrawn');
    expect(withdrawals.map((m) => (m.value as { reason: string }).reason)).toEqual(['LOAD_UNDONE', 'LOAD_UNDONE']);

    await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap1.csv', csv(personRow(60), personRow(61), personRow(62))));
    const second = await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap2.csv', csv(personRow(60), personRow(62))));
    expect(second).toMatchObject({ duplicates: 2, withdrawn: 1 });
    const gone = (await hub.read('hub.ingest.partner-records.v1')).filter((m) => m.key === 'test-snapshot/P61' && m.name === 'PartnerRecordWithdrawn');
    expect((gone[0]!.value as { reason: string }).reason).toBe('MISSING_FROM_SNAPSHOT');
  });

  it('withdraws every record of a large undo and of a large snapshot gap once, page after page', async () => {
    // the harness works in pages of 50: 120 records are three pages
    const many = Array.from({ length: 120 }, (_, i) => personRow(1000 + i));
    const load = await hub.runner.loadFile('test-people', writeFile(dir, 'undo-many.csv', csv(...many)));
    expect(await hub.runner.undo(load.load)).toMatchObject({ status: 'undone', withdrawn: 120 });
    const undone = (await hub.read('hub.ingest.partner-records.v1')).filter((m) => m.name === 'PartnerRecordWithdrawn' && (m.value as { reason: string }).reason === 'LOAD_UNDONE');
    const undoneKeys = undone.map((m) => m.key).filter((key) => /^test-people\/P1[01]\d\d$/.test(key));
    expect(new Set(undoneKeys).size).toBe(120);
    expect(undoneKeys).toHaveLength(120);

    const snapshot = Array.from({ length: 130 }, (_, i) => personRow(2000 + i));
    await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap-many-1.csv', csv(...snapshot)));
    const second = await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap-many-2.csv', csv(...snapshot.slice(0, 10))));
    expect(second).toMatchObject({ duplicates: 10, withdrawn: 120 });
    const gone = (await hub.read('hub.ingest.partner-records.v1')).filter((m) => m.name === 'PartnerRecordWithdrawn' && (m.value as { reason: string }).reason === 'MISSING_FROM_SNAPSHOT' && /^test-snapshot\/P2\d\d\d$/.test(m.key));
    expect(new Set(gone.map((m) => m.key)).size).toBe(120);
    expect(gone).toHaveLength(120);
  });

  it('gives a record that comes back to an earlier state new event ids, so consumers apply it', async () => {
    // delta: A, B, then A again
    await hub.runner.loadFile('test-people', writeFile(dir, 'back-1.csv', csv(personRow(90))));
    await hub.runner.loadFile('test-people', writeFile(dir, 'back-2.csv', csv(personRow(90, { surname: 'Changed' }))));
    const third = await hub.runner.loadFile('test-people', writeFile(dir, 'back-3.csv', csv(personRow(90))));
    expect(third).toMatchObject({ accepted: 1, duplicates: 0 });
    const states = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key === 'test-people/P90');
    expect(states.map((m) => (m.value as { envelope: { sourceVersion: string } }).envelope.sourceVersion)).toEqual([
      expect.any(String), expect.any(String), (states[0]!.value as { envelope: { sourceVersion: string } }).envelope.sourceVersion,
    ]);
    expect(new Set(states.map((m) => m.eventId)).size).toBe(3);
    // the id in the payload is the id the event travels with
    for (const m of states) expect((m.value as { envelope: { eventId: string } }).envelope.eventId).toBe(m.eventId);
    // resending the current state still changes nothing
    expect(await hub.runner.loadFile('test-people', writeFile(dir, 'back-4.csv', csv(personRow(90))))).toMatchObject({ accepted: 0, duplicates: 1 });

    // snapshot: present, missing (withdrawn), present again unchanged, missing again
    await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap-back-1.csv', csv(personRow(95), personRow(96))));
    await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap-back-2.csv', csv(personRow(95))));
    await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap-back-3.csv', csv(personRow(95), personRow(96))));
    await hub.runner.loadFile('test-snapshot', writeFile(dir, 'snap-back-4.csv', csv(personRow(95))));
    const history = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key === 'test-snapshot/P96');
    expect(history.map((m) => m.name)).toEqual(['PersonObserved', 'PartnerRecordWithdrawn', 'PersonObserved', 'PartnerRecordWithdrawn']);
    expect(new Set(history.map((m) => m.eventId)).size).toBe(4);
  });

  it('decides each row against the rows of the batches before it in the same file, committed or not', async () => {
    // batches of 50 (the harness's): one record in each of the first four batches, as first
    // seen, again unchanged, changed, and back to its first state (a family name with digits,
    // Testperson400, fails the name rules and is nulled, so only the changed one survives)
    const others = Array.from({ length: 156 }, (_, i) => personRow(401 + i));
    const rows = [personRow(400), ...others.slice(0, 49), personRow(400), ...others.slice(49, 98), personRow(400, { surname: 'Changed' }), ...others.slice(98, 147), personRow(400), ...others.slice(147)];
    const report = await hub.runner.loadFile('test-people', writeFile(dir, 'across-batches.csv', csv(...rows)));
    expect(report).toMatchObject({ status: 'completed', rows: 160, accepted: 159, duplicates: 1, rejected: 0 });
    const states = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key === 'test-people/P400');
    expect(states.map((m) => (m.value as { person: { name: { familyName: string } } }).person.name.familyName)).toEqual([null, 'Changed', null]);
    expect(new Set(states.map((m) => m.eventId)).size).toBe(3);
    const [held] = await hub.dataSource.query(`SELECT revision FROM source_record WHERE feed = 'test-people' AND source_record_id = 'P400'`);
    expect(held.revision).toBe(3);
  });

  it('decides against a batch whose commit lands while the next batch is being looked up', async () => {
    // The first batch's commit starts only once the second batch's lookup has read the table,
    // and that lookup answers only once the commit has landed: what a slow lookup beside a fast
    // commit does. The record is in batches 1 and 2, unchanged.
    class LateLookups extends RecordStore {
      private lookups = 0;
      private secondLookupHasRead!: () => void;
      private readonly mayCommit = new Promise<void>((resolve) => (this.secondLookupHasRead = resolve));
      private firstCommit: Promise<void> | undefined;
      override async held(feed: string, ids: readonly string[]): Promise<Map<string, HeldRecord>> {
        const found = await super.held(feed, ids);
        if (++this.lookups === 2) {
          this.secondLookupHasRead();
          await this.firstCommit;
        }
        return found;
      }
      override commitBatch(...args: Parameters<RecordStore['commitBatch']>): Promise<void> {
        if (this.firstCommit) return super.commitBatch(...args);
        this.firstCommit = this.mayCommit.then(() => super.commitBatch(...args));
        return this.firstCommit;
      }
    }
    const runner = new LoadRunner(hub.feeds, new LateLookups(hub.dataSource, hub.prefix), new KafkaPublisher(hub.producer, hub.prefix), hub.dataSource, createLogger('ingest-test', 'silent'), 50);
    const others = Array.from({ length: 60 }, (_, i) => personRow(701 + i));
    const rows = [personRow(700), ...others.slice(0, 49), personRow(700), ...others.slice(49)];
    const report = await runner.loadFile('test-people', writeFile(dir, 'late-lookups.csv', csv(...rows)));
    expect(report).toMatchObject({ status: 'completed', rows: 62, accepted: 61, duplicates: 1 });
    expect((await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key === 'test-people/P700')).toHaveLength(1);
  });

  it('acknowledges nothing while Kafka is away, then loads the same file exactly once', async () => {
    const file = writeFile(dir, 'kafka-away.csv', csv(personRow(70), personRow(71)));
    hub.gate.close();
    await expect(hub.runner.loadFile('test-people', file)).rejects.toMatchObject({ name: 'KafkaUnavailableError' });
    const held = await hub.dataSource.query(`SELECT count(*)::int AS n FROM source_record WHERE feed = 'test-people' AND source_record_id IN ('P70', 'P71')`);
    expect(held[0].n).toBe(0);
    hub.gate.open();
    expect(await hub.runner.loadFile('test-people', file)).toMatchObject({ status: 'completed', accepted: 2 });
    const events = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => ['test-people/P70', 'test-people/P71'].includes(m.key));
    expect(new Set(events.map((m) => m.eventId)).size).toBe(2);
  });
});

describe('ingest while PostgreSQL goes away', () => {
  it('fails the batch that writes rejects, loses nothing, and completes on the next run', async () => {
    const first = await ingestHarness('pg-away');
    const url = new URL(first.databaseUrl);
    await first.close();
    const proxy = await new TcpProxy(url.hostname, Number(url.port || 5432)).start();
    const hub = await ingestHarness('pg-away', throughProxy(first.databaseUrl, proxy));
    const dir = mkdtempSync(join(tmpdir(), 'hub-pg-'));
    try {
      const file = writeFile(dir, 'rejects.csv', csv(personRow(80), 'P81,broken,row'));
      // cut the database between publishing and recording, the moment rejects are written
      const publisher = (hub.runner as unknown as { publisher: { publish: (m: unknown) => Promise<void> } }).publisher;
      const realPublish = publisher.publish.bind(publisher);
      publisher.publish = async (messages) => {
        publisher.publish = realPublish;
        await realPublish(messages);
        proxy.cut();
      };
      await expect(hub.runner.loadFile('test-people', file)).rejects.toBeDefined();
      proxy.restore();
      const report = await hub.runner.loadFile('test-people', file);
      expect(report).toMatchObject({ status: 'completed', accepted: 1, rejected: 1 });
      const stored = await hub.dataSource.query(`SELECT count(*)::int AS n FROM rejected_record WHERE feed = 'test-people'`);
      expect(stored[0].n).toBe(1);
    } finally {
      await hub.close();
      await proxy.close();
    }
  });
});


describe('ingest reads every declared encoding and layout, against the real Kafka and PostgreSQL', () => {
  let hub: IngestHarness;
  let city: string;
  let manifest: { feeds: Array<{ name: string; format: string; encoding?: string; deliveries: Array<{ file: string; rows: number }> }> };

  beforeAll(async () => {
    hub = await ingestHarness('encodings');
    city = mkdtempSync(join(tmpdir(), 'hub-ingest-city-'));
    generate({ seed: '3', persons: 400, out: city, profile: REALISTIC_V1 });
    manifest = JSON.parse(readFileSync(join(city, 'manifest.json'), 'utf8'));
  });
  afterAll(async () => {
    await hub.close();
    rmSync(city, { recursive: true, force: true });
  });

  it('loads UTF-8 with a byte-order mark and CRLF line ends', async () => {
    const file = writeFile(city, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(personRow(31), personRow(32, { forename: 'Zoë' })).replace(/\n/g, '\r\n'))]));
    expect(await hub.runner.loadFile('test-people', file)).toMatchObject({ status: 'completed', rows: 2, accepted: 2, rejected: 0 });
    const given = (await hub.read('hub.ingest.person-observed.v1')).filter((m) => m.key === 'test-people/P32').map((m) => (m.value as { person: { name: { givenNames: string[] } } }).person.name.givenNames[0]);
    expect(given).toEqual(['Zoë']);
  });

  it('loads the synthetic city\'s Windows-1252 (CRLF) files and its JSON Lines files with nested objects', async () => {
    const feeds = manifest.feeds.filter((feed) => hub.feeds.get(feed.name).encoding === 'windows-1252' || hub.feeds.get(feed.name).format === 'jsonl');
    expect(feeds.some((feed) => hub.feeds.get(feed.name).encoding === 'windows-1252')).toBe(true);
    expect(feeds.some((feed) => hub.feeds.get(feed.name).format === 'jsonl')).toBe(true);
    for (const feed of feeds) {
      const delivery = feed.deliveries.find((d) => d.rows > 0);
      if (!delivery) continue;
      const report = await hub.runner.loadFile(feed.name, join(city, delivery.file));
      expect({ feed: feed.name, status: report.status, rows: report.rows }).toEqual({ feed: feed.name, status: 'completed', rows: delivery.rows });
      expect({ feed: feed.name, mostlyAccepted: report.accepted >= report.rows * 0.8 }).toEqual({ feed: feed.name, mostlyAccepted: true });
    }
  });
});
