/**
 * Throughput of the in-memory IncrementalResolver on the synthetic city's linkage case:
 *
 *   npm run -s datagen -- --scale medium --seed 1 --out /tmp/city-m
 *   node scripts/run-ts.mjs services/mdm/src/matching/offline/resolver-bench.ts /tmp/city-m [--seed S]
 *
 * Trains once (not timed in records/s), then streams every record in a random order and
 * prints one JSON line: records/s overall and per tenth of the stream (to show that the cost
 * per record does not grow with the index), candidates per record, and the cross-register
 * pairwise accuracy against the truth.
 */
import { loadTables, scoreClustering } from '@hub/synthetic';
import { buildNameTables, IncrementalResolver, seededRandom, toMatchRecord, trainModel } from '../domain';
import { readCityLinkage } from './city-adapter';

function main(): void {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: resolver-bench.ts <datagen output folder> [--seed S]\n');
    process.exit(2);
  }
  const seedAt = rest.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(rest[seedAt + 1]) : 1;
  const rows = readCityLinkage(dir);
  const random = seededRandom(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const names = buildNameTables(loadTables().names);
  const featuresStarted = process.hrtime.bigint();
  const records = rows.map((r, i) => toMatchRecord(`r${i}`, r.side === 0 ? 'electoral-register' : 'gp-registrations', r.person, { names }));
  const featureSeconds = Number(process.hrtime.bigint() - featuresStarted) / 1e9;
  const trainStarted = process.hrtime.bigint();
  const model = trainModel(records);
  const trainSeconds = Number(process.hrtime.bigint() - trainStarted) / 1e9;

  const resolver = new IncrementalResolver(model);
  const tenths: number[] = [];
  let candidates = 0;
  const started = process.hrtime.bigint();
  let sliceStarted = started;
  const slice = Math.ceil(records.length / 10);
  records.forEach((r, i) => {
    candidates += resolver.add(r).candidates;
    if ((i + 1) % slice === 0 || i === records.length - 1) {
      const now = process.hrtime.bigint();
      const n = (i % slice) + 1;
      tenths.push(Math.round(n / (Number(now - sliceStarted) / 1e9)));
      sliceStarted = now;
    }
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const score = scoreClustering(
    records.map((r) => resolver.masterOf(r.id) as string),
    rows.map((r) => r.truth),
    rows.map((r) => r.side),
  );
  process.stdout.write(
    `${JSON.stringify({
      dataset: `city-linkage:${dir}`,
      records: records.length,
      recordsPerSecond: Math.round(records.length / seconds),
      recordsPerSecondPerTenth: tenths,
      featureRecordsPerSecond: Math.round(records.length / featureSeconds),
      trainSeconds: Number(trainSeconds.toFixed(2)),
      candidatesPerRecord: Number((candidates / records.length).toFixed(2)),
      oversizedBlocks: resolver.candidateIndexStats().oversizedBlocks,
      crossPairs: { truePairs: score.pairwise.truePairs, predictedPairs: score.pairwise.predictedPairs, precision: Number(score.pairwise.precision.toFixed(4)), recall: Number(score.pairwise.recall.toFixed(4)), f1: Number(score.pairwise.f1.toFixed(4)) },
      inReview: resolver.reviewQueue().length,
      heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    })}\n`,
  );
}

main();
