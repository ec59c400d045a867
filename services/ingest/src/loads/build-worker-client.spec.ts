import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFeedsDir, FeedRegistry, today } from '../feeds/feed-registry';
import type { BuildJob } from './build-job';
import { buildInWorker, buildWorkersAlive, buildWorkersStarted, countInWorker, countInWorkers, stopIdleBuildWorker } from './build-worker-client';
import { readOptions } from './load-runner';
import { lineAlignedParts, readRows } from './source-reader';

// Worker threads, no servers: the build worker serves one job after another, and one that was
// left mid-file is never given the next job.
// A test here starts up to seven threads, each compiling the worker from TypeScript source: on a
// slow, busy two-core machine (CI's, with the other suites running) that took more than jest's
// default 5 s, and a test that times out leaves its counts running, holding the cores the next
// test's pre-check shares.
jest.setTimeout(60_000);

describe('build worker reuse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'build-worker-'));
  const header = 'person_id,forename,surname,dob,sex,nhs_number,address,postcode,uprn\n';
  const row = (i: number, dob = '04/03/1980') => `P${i},Anna,Khan,${dob},F,,${i} Long Lane,L1 1AA,\n`;
  const file = (name: string, rows: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, header + rows.join(''));
    return path;
  };
  const good = file('good.csv', [row(1), row(2), row(3, 'not a date')]);
  const large = file('large.csv', Array.from({ length: 50 }, (_, i) => row(i)));
  const feed = FeedRegistry.fromDirectory(defaultFeedsDir).get('bench-people');
  const job = (path: string): Omit<BuildJob, 'mode'> => ({
    feedDirs: [defaultFeedsDir], date: today(), feedName: 'bench-people', path, readOptions: readOptions(feed), batchSize: 10, credits: 1,
    context: { feed: 'bench-people', governance: feed.governance, loadId: 'test-load', receivedAt: 0, contentType: 'text/csv', encoding: 'utf-8' },
  });

  afterAll(() => stopIdleBuildWorker());

  it('keeps a worker that finished its job and gives it the next one', async () => {
    await stopIdleBuildWorker();
    const before = buildWorkersStarted();
    expect(await countInWorker(job(good))).toMatchObject({ rows: 3 });
    expect(await countInWorker(job(large))).toMatchObject({ rows: 50 });
    expect(buildWorkersStarted()).toBe(before + 1);
    expect(await stopIdleBuildWorker()).toBe(true);
    expect(await stopIdleBuildWorker()).toBe(false);
  });

  it('gives a job that failed in the worker its error, and the worker serves the next job', async () => {
    const before = buildWorkersStarted();
    await expect(countInWorker(job(join(dir, 'missing.csv')))).rejects.toThrow(/missing\.csv/);
    expect(await countInWorker(job(good))).toMatchObject({ rows: 3 });
    expect(buildWorkersStarted()).toBe(before + 1);
    expect(await stopIdleBuildWorker()).toBe(true);
  });

  it('stops a worker whose caller stopped reading mid-file, and the next job gets all its batches', async () => {
    for await (const event of buildInWorker(job(large))) {
      expect(event.kind).toBe('batch');
      break;
    }
    expect(await stopIdleBuildWorker()).toBe(false);
    const before = buildWorkersStarted();
    let rows = 0;
    for await (const event of buildInWorker(job(large))) if (event.kind === 'batch') rows += event.rows.length;
    expect(rows).toBe(50);
    expect(buildWorkersStarted()).toBe(before + 1);
    expect(await stopIdleBuildWorker()).toBe(true);
  });

  describe('the pre-check counted in parts side by side', () => {
    // rows with rejects spread through the file, so every part has some (no record id, or a
    // column too many)
    const mixed = file('mixed.csv', Array.from({ length: 600 }, (_, i) => (i % 7 === 3 ? row(i).replace(`P${i},`, ',') : i % 11 === 5 ? row(i).replace('\n', ',extra\n') : row(i))));

    it('gives the counts of reading the file whole, from as many workers as parts', async () => {
      const whole = await countInWorker(job(mixed));
      expect(whole.rejected).toBeGreaterThan(50);
      let bytes = 0;
      const parted = await countInWorkers(job(mixed), { threads: 3, minBytes: 0, onBytes: (read) => (bytes = read) });
      expect(parted.parts).toBe(3);
      expect(parted).toEqual({ ...whole, parts: 3 });
      // the progress reported is the parts' bytes together: the whole file by the end
      expect(bytes).toBe(statSync(mixed).size);
    });

    it('keeps one worker idle after counting in parts', async () => {
      await stopIdleBuildWorker();
      const before = buildWorkersStarted();
      expect(await countInWorkers(job(mixed), { threads: 3, minBytes: 0 })).toMatchObject({ parts: 3 });
      expect(buildWorkersStarted()).toBe(before + 3);
      expect(await stopIdleBuildWorker()).toBe(true);
      expect(await stopIdleBuildWorker()).toBe(false);
    });

    it('shares the cores between pre-checks running at once', async () => {
      const first = countInWorkers(job(mixed), { threads: 3, minBytes: 0 });
      const second = countInWorkers(job(mixed), { threads: 3, minBytes: 0 });
      const [a, b] = await Promise.all([first, second]);
      expect([a.parts, b.parts]).toEqual([3, 1]);
      expect({ ...b, parts: 3 }).toEqual(a);
      // once they are done, the next one has the cores again
      expect(await countInWorkers(job(mixed), { threads: 3, minBytes: 0 })).toMatchObject({ parts: 3 });
    });

    it('counts JSON Lines in parts, bad lines included', async () => {
      const feed = FeedRegistry.fromDirectory(defaultFeedsDir).get('maternity');
      const path = join(dir, 'maternity.jsonl');
      const line = (i: number) => (i % 9 === 4 ? '{"pregnancy_id": broken\n' : `${JSON.stringify({ pregnancy_id: `PG${i}`, record_action: 'upsert', delivery_date: '2024-03-04', persons: [] })}\n`);
      writeFileSync(path, Array.from({ length: 400 }, (_, i) => line(i)).join(''));
      const jsonJob = { ...job(path), feedName: 'maternity', readOptions: readOptions(feed) };
      const whole = await countInWorker(jsonJob);
      expect(whole.rows).toBe(400);
      expect(whole.rejectsByReason['INGEST.JSON_INVALID']).toBe(44);
      expect(await countInWorkers(jsonJob, { threads: 3, minBytes: 0 })).toEqual({ ...whole, parts: 3 });
    });

    it('trusts a last part that ends inside quotes: the whole file ends there too', async () => {
      const unclosed = file('unclosed-at-end.csv', [...Array.from({ length: 300 }, (_, i) => row(i)), 'P999,"Anna,Khan,04/03/1980,F,,1 Long Lane,L1 1AA,\n']);
      const whole = await countInWorker(job(unclosed));
      expect(whole.rejectsByReason['INGEST.CSV_QUOTE_NOT_CLOSED']).toBe(1);
      expect(await countInWorkers(job(unclosed), { threads: 2, minBytes: 0 })).toEqual({ ...whole, parts: 2 });
    });

    it('fails as reading the file whole does when a part cannot be read, and leaves no part running', async () => {
      // a Windows-1252 byte in the second of three parts (past the header check's first read)
      // and a UTF-8 character cut off at the very end: read whole, the first is the error
      const rows = Array.from({ length: 15_000 }, (_, i) => row(i));
      const path = join(dir, 'bad-utf8.csv');
      writeFileSync(path, Buffer.concat([Buffer.from(header + rows.slice(0, 7_000).join('')), Buffer.from('P7000,Ren\xe9e,Khan,04/03/1980,F,,1 Long Lane,L1 1AA,\n', 'latin1'), Buffer.from(rows.slice(7_001).join('')), Buffer.from([0xc3])]));
      expect(statSync(path).size).toBeGreaterThan(3 * 256 * 1024);
      const wholeError = (await countInWorker(job(path)).catch((error: Error) => error)) as Error;
      expect(wholeError).toMatchObject({ code: 'INGEST.ENCODING_MISMATCH', message: 'the file is not valid UTF-8, which its feed declares' });
      await stopIdleBuildWorker();
      const before = buildWorkersStarted();
      await expect(countInWorkers(job(path), { threads: 3, minBytes: 0 })).rejects.toMatchObject({ code: 'INGEST.ENCODING_MISMATCH', message: wholeError.message });
      expect(buildWorkersStarted()).toBe(before + 3);
      // the part that failed and those stopped are gone; the one kept serves the next job
      expect(buildWorkersAlive()).toBe(1);
      expect(await stopIdleBuildWorker()).toBe(true);
      expect(buildWorkersAlive()).toBe(0);
    });

    it('reads the file whole when a part ends inside a quoted field that spans lines', async () => {
      // a quoted address of 400 lines in the middle of the file: every split point falls inside it
      const address = `"${Array.from({ length: 400 }, (_, i) => `Flat ${i}`).join('\n')}"`;
      const quoted = file('quoted.csv', [row(1), row(2, 'not a date'), `P3,Anna,Khan,04/03/1980,F,,${address},L1 1AA,\n`, row(4), row(5)]);
      const whole = await countInWorker(job(quoted));
      expect(whole.rows).toBe(5);
      // the file can be split, so one part is the fallback's doing
      expect((await lineAlignedParts(quoted, 2)).length).toBe(2);
      const parted = await countInWorkers(job(quoted), { threads: 2, minBytes: 0 });
      expect(parted).toEqual({ ...whole, parts: 1 });
    });

    it("reads later parts with the line end the whole file's parser chose on the first line", async () => {
      // CRLF on the header, then rows ending CRLF and LF in turn: read whole, each LF row runs
      // into the next one (a record with too many columns)
      const rows = Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? row(i).replace('\n', '\r\n') : row(i)));
      const path = join(dir, 'mixed-line-ends.csv');
      writeFileSync(path, header.replace('\n', '\r\n') + rows.join(''));
      const whole = await countInWorker(job(path));
      expect(whole.rejected).toBe(299);
      const parted = await countInWorkers(job(path), { threads: 3, minBytes: 0 });
      expect(parted).toEqual({ ...whole, parts: 3 });
    });

    it('counts in parts a file whose every field is quoted; one whose header spans lines, whole', async () => {
      const quotedRow = (i: number) => `"P${i}","Anna","Khan","04/03/1980","F","","${i} Long Lane","L1 1AA",""\r\n`;
      const rows = Array.from({ length: 600 }, (_, i) => quotedRow(i)).join('');
      const allQuoted = join(dir, 'all-quoted.csv');
      writeFileSync(allQuoted, `${header.trim().split(',').map((column) => `"${column}"`).join(',')}\r\n${rows}`);
      const whole = await countInWorker(job(allQuoted));
      expect(whole).toMatchObject({ rows: 600, accepted: 600 });
      expect(await countInWorkers(job(allQuoted), { threads: 3, minBytes: 0 })).toEqual({ ...whole, parts: 3 });
      // a line feed inside the header's first field: the header check quarantines such a file;
      // counted on its own, it is counted whole
      const spanning = join(dir, 'header-spans-lines.csv');
      writeFileSync(spanning, `"person\n_id","forename","surname","dob","sex","nhs_number","address","postcode","uprn"\r\n${rows}`);
      const spanningWhole = await countInWorker(job(spanning));
      expect(await countInWorkers(job(spanning), { threads: 3, minBytes: 0 })).toEqual({ ...spanningWhole, parts: 1 });
    });

    it('counts small files with one worker', async () => {
      expect(await countInWorkers(job(mixed), { threads: 3 })).toMatchObject({ rows: 600, parts: 1 });
    });
  });

  it('keeps a byte-order mark at the start of a part that begins mid-file, as reading the file whole does', async () => {
    const path = join(dir, 'bom-mid-file.csv');
    const first = `${header}${row(1)}`;
    writeFileSync(path, `${first}\uFEFF\n${row(2)}`);
    const start = Buffer.byteLength(first);
    const columns = header.trim().split(',');
    const read = [];
    for await (const source of readRows(path, { ...readOptions(feed), range: { start, end: statSync(path).size, columns, recordDelimiter: '\n' } })) read.push(source);
    // the mark alone on its line is a record of one field (an error), not an empty line skipped
    expect(read.map((source) => ('error' in source ? source.error.code : 'row'))).toEqual(['INGEST.CSV_RECORD_INCONSISTENT_COLUMNS', 'row']);
  });
});
