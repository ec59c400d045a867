/**
 * Offline accuracy of the matching core on public benchmarks, with no servers:
 *
 *   node scripts/run-ts.mjs services/mdm/src/matching/offline/linkage-offline.ts \
 *     --format febrl|fake1000 <file> [--shuffles N] [--seed S]
 *
 * Prints one JSON line: the mean of each measure over the shuffles, and the spread
 * (max - min) of the headline ones. One model configuration and one threshold for every file.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadTables } from '@hub/synthetic';
import { buildNameTables } from '../domain';
import { evaluateShuffle, ShuffleMetrics } from './evaluate';
import { parseFake1000 } from './fake1000-adapter';
import { parseFebrl } from './febrl-adapter';
import { LabelledRecord } from './labelled-record';

interface Args {
  format: 'febrl' | 'fake1000';
  file: string;
  shuffles: number;
  seed: number;
  verbose: boolean;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: linkage-offline.ts --format febrl|fake1000 <file> [--shuffles N] [--seed S] [--verbose]\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Args {
  let format: string | undefined;
  let file: string | undefined;
  let shuffles = 5;
  let seed = 1;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--format') format = argv[++i];
    else if (a === '--shuffles') shuffles = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--verbose') verbose = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else file = a;
  }
  if (format !== 'febrl' && format !== 'fake1000') usage('--format must be febrl or fake1000');
  if (!file) usage('a file is required');
  if (!Number.isInteger(shuffles) || shuffles < 1) usage('--shuffles must be a positive integer');
  if (!Number.isFinite(seed)) usage('--seed must be a number');
  return { format, file, shuffles, seed, verbose };
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

function summarise(dataset: string, runs: readonly ShuffleMetrics[]): Record<string, unknown> {
  const mean = (pick: (m: ShuffleMetrics) => number) => runs.reduce((s, m) => s + pick(m), 0) / runs.length;
  const spread = (pick: (m: ShuffleMetrics) => number) => Math.max(...runs.map(pick)) - Math.min(...runs.map(pick));
  return {
    dataset,
    shuffles: runs.length,
    records: runs[0].records,
    truePairs: runs[0].truePairs,
    predictedPairs: round(mean((m) => m.predictedPairs), 1),
    precision: round(mean((m) => m.precision)),
    recall: round(mean((m) => m.recall)),
    f1: round(mean((m) => m.f1)),
    pairF1: round(mean((m) => m.pairF1)),
    pairPrecision: round(mean((m) => m.pairPrecision)),
    pairRecall: round(mean((m) => m.pairRecall)),
    b3F1: round(mean((m) => m.b3F1)),
    inReview: round(mean((m) => m.inReview), 1),
    blockingRecall: round(mean((m) => m.blockingRecall)),
    candidateRecall: round(mean((m) => m.candidateRecall)),
    candidatesPerRecord: round(mean((m) => m.candidatesPerRecord), 2),
    seconds: round(mean((m) => m.seconds), 2),
    spread: { f1: round(spread((m) => m.f1)), pairF1: round(spread((m) => m.pairF1)), b3F1: round(spread((m) => m.b3F1)) },
    f1PerShuffle: runs.map((m) => round(m.f1)),
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const text = readFileSync(args.file, 'utf8');
  const labelled: LabelledRecord[] = args.format === 'febrl' ? parseFebrl(text) : parseFake1000(text);
  const names = buildNameTables(loadTables().names);
  const runs: ShuffleMetrics[] = [];
  for (let s = 0; s < args.shuffles; s++) {
    const run = evaluateShuffle(labelled, args.seed * 1000 + s, { names });
    if (args.verbose) process.stderr.write(`${JSON.stringify(run)}\n`);
    runs.push(run);
  }
  process.stdout.write(`${JSON.stringify(summarise(`${args.format}:${basename(args.file)}`, runs))}\n`);
}

main();
