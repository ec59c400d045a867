import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFeedsDir, FeedRegistry, today } from '../feeds/feed-registry';
import type { BuildJob } from './build-job';
import { buildInWorker, buildWorkersStarted, countInWorker, stopIdleBuildWorker } from './build-worker-client';
import { readOptions } from './load-runner';

// Worker threads, no servers: the build worker serves one job after another, and one that was
// left mid-file is never given the next job.
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
});
