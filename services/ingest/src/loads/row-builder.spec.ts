import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFeedsDir, FeedRegistry } from '../feeds/feed-registry';
import { readOptions } from './load-runner';
import { buildFile, countFile, type DryRunCounts } from './row-builder';

// The pre-check (countFile) reads CSV without line numbers and original bytes; it must still
// count exactly what the load (buildFile) will accept, reject and withdraw, for every kind of
// broken row.
describe('the pre-check counts what the load will do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'row-builder-'));
  const feed = FeedRegistry.fromDirectory(defaultFeedsDir).get('bench-people');
  const context = { feed: 'bench-people', governance: feed.governance, loadId: 'test-load', receivedAt: 0, contentType: 'text/csv', encoding: 'utf-8' } as const;
  const header = 'person_id,forename,surname,dob,sex,nhs_number,address,postcode,uprn';
  const row = (i: number, dob = '04/03/1980') => `P${i},Anna,Khan,${dob},F,,${i} Long Lane,L1 1AA,`;

  async function buildOutcomes(path: string): Promise<DryRunCounts> {
    const counts: DryRunCounts = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, withdrawn: 0, rejectsByReason: {} };
    for await (const event of buildFile(feed, context, path, { ...readOptions(feed), batchSize: 7 })) {
      if (event.kind !== 'batch') continue;
      for (const built of event.rows) {
        counts.rows++;
        if (built.outcome === 'accepted') counts.accepted++;
        else if (built.outcome === 'withdrawn') counts.withdrawn++;
        else {
          counts.rejected++;
          for (const reason of built.reasons) counts.rejectsByReason[reason.code] = (counts.rejectsByReason[reason.code] ?? 0) + 1;
        }
      }
    }
    return counts;
  }

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('on a file of good and broken rows with %s line ends', async (_name, eol) => {
    const lines = [
      `\uFEFF${header}`,
      row(1),
      row(2, 'not a date'),
      '',
      `P3,"Anna ""Nan""",Khan,04/03/1980,F,,3 Long Lane,L1 1AA,`,
      `P4,An"na,Khan,04/03/1980,F,,4 Long Lane,L1 1AA,`,
      `${row(5)},extra`,
      'P6,Anna,Khan',
      `,Anna,Khan,04/03/1980,F,,7 Long Lane,L1 1AA,`,
      `P8,"Anna${eol}Marie",Khan,04/03/1980,F,,8 Long Lane,L1 1AA,`,
      `P9,${'x'.repeat(3000)},Khan,04/03/1980,F,,9 Long Lane,L1 1AA,`,
      `P10,Anna 😀,Khan,04/03/1980,F,,10 Long Lane,L1 1AA,`,
      row(11),
      `P12,"Anna,Khan,04/03/1980,F,,12 Long Lane,L1 1AA,`,
      row(13),
    ];
    const path = join(dir, `mixed-${_name}.csv`);
    writeFileSync(path, lines.join(eol) + eol);
    const built = await buildOutcomes(path);
    // the file really has rows of each kind, so the comparison below means something
    expect(built.accepted).toBeGreaterThanOrEqual(4);
    expect(built.rejected).toBeGreaterThanOrEqual(4);
    expect(Object.keys(built.rejectsByReason).length).toBeGreaterThanOrEqual(3);
    expect(await countFile(feed, path, readOptions(feed))).toEqual(built);
  });
});
