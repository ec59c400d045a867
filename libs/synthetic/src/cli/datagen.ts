/*
 * npm run datagen -- --persons N --seed S --out DIR [--profile NAME] [--scale small|medium|liverpool] [--feeds a,b]
 * Progress goes to stderr; the last line on stdout is a one-line JSON summary.
 */
import { spawnSync } from 'node:child_process';
import { generate } from '../io/generate';
import { PROFILES, profileByName } from '../noise/profile';

export const SCALES: Readonly<Record<string, number>> = { small: 1_000, medium: 50_000, liverpool: 500_000 };

interface Args { persons: number; seed: string; out: string; profile: string; scale: string | null; feeds: string[] | undefined }

function fail(message: string): never {
  process.stderr.write(`datagen: ${message}\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) fail(`--${name} needs a value`);
    return v;
  };
  const known = new Set(['--persons', '--seed', '--out', '--profile', '--scale', '--feeds']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) fail(`unknown option ${a}`);
  const scale = get('scale') ?? null;
  if (scale !== null && !(scale in SCALES)) fail(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const personsText = get('persons');
  const persons = personsText !== undefined ? Number(personsText) : scale ? SCALES[scale] : NaN;
  if (!Number.isInteger(persons) || persons < 50 || persons > 850_000) fail('--persons must be an integer from 50 to 850000 (or give --scale)');
  const out = get('out') ?? fail('--out DIR is required');
  const profile = get('profile') ?? 'realistic-v1';
  if (!(profile in PROFILES)) fail(`--profile must be one of ${Object.keys(PROFILES).join(', ')}`);
  return { persons, seed: get('seed') ?? '1', out, profile, scale, feeds: get('feeds')?.split(',') };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const tty = process.stderr.isTTY === true;
  const t0 = Date.now();
  let lastStage = '';
  const summary = generate({
    seed: args.seed,
    persons: args.persons,
    out: args.out,
    profile: profileByName(args.profile),
    scale: args.scale ?? undefined,
    feeds: args.feeds,
    onProgress(stage, done, total) {
      const pct = total > 0 ? Math.round((done / total) * 100) : 100;
      const text = `datagen ${((Date.now() - t0) / 1000).toFixed(1)}s ${stage} (${pct}%) rss=${Math.round(process.memoryUsage().rss / 1048576)}MiB`;
      if (tty) process.stderr.write(`\r${text.padEnd(90)}`);
      else if (stage !== lastStage) process.stderr.write(text + '\n');
      lastStage = stage;
    },
  });
  if (tty) process.stderr.write('\n');
  process.stdout.write(JSON.stringify(summary) + '\n');
}

/**
 * The generator keeps the whole population in memory and streams the feeds. With V8's default
 * limits on a large machine the heap grows lazily far beyond what is live, so the CLI runs itself
 * again with a bounded old space and a larger young generation (fewer promotions, less GC time).
 */
const HEAP_FLAGS = ['--max-old-space-size=1600', '--max-semi-space-size=32'];

if (require.main === module) {
  if (process.env.HUB_DATAGEN_CHILD === '1' || process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) main();
  else {
    const r = spawnSync(process.execPath, [...process.execArgv, ...HEAP_FLAGS, process.argv[1], ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, HUB_DATAGEN_CHILD: '1' },
    });
    process.exit(r.status ?? 1);
  }
}
