// What V8's major collections cost over a run, from the file `npm run bench:mdm -- --gc-trace <file>`
// writes:
//
//   node scripts/run-ts.mjs services/mdm/bench/gc-trace-summary.ts <file> [--window 300]
//
// Per window of the process's life (seconds, default 300): how many major collections
// (Mark-Compact) ended in it, the share of the window during which a marking was under way
// (from its start to its end, mostly on V8's helper threads), the main thread's pauses, the
// heap before and after, and why they started and ended.
import { readFileSync } from 'node:fs';

interface MarkCompact {
  endMs: number;
  beforeMiB: number;
  afterMiB: number;
  pauseMs: number;
  markingWallMs: number;
  reason: string;
}

// [pid:isolate]    1234 ms: Mark-Compact 78.5 (97.7) -> 63.8 (98.9) MB, 7.31 / 0.00 ms  (+ 22.6 ms in 150 steps since start of marking, biggest step 5.2 ms, walltime since start of marking 65 ms) (average mu = 1.000, current mu = 1.000) finalize incremental marking via stack guard; GC in old space requested
const MARK_COMPACT = /\s(\d+) ms: Mark-Compact(?: \(reduce\))? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms\s+(?:\(\+ [\d.]+ ms in \d+ steps since start of marking, biggest step [\d.]+ ms, walltime since start of marking (\d+) ms\) )?\(average mu = [\d.]+, current mu = [\d.]+\) (.*)$/;

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: gc-trace-summary.ts <file> [--window seconds]\n');
    process.exit(2);
  }
  const windowSeconds = rest.includes('--window') ? Number(rest[rest.indexOf('--window') + 1]) : 300;
  const collections: MarkCompact[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = MARK_COMPACT.exec(line);
    if (!m) continue;
    collections.push({ endMs: Number(m[1]), beforeMiB: Number(m[2]), afterMiB: Number(m[3]), pauseMs: Number(m[4]), markingWallMs: Number(m[5] ?? m[4]), reason: m[6]!.trim() });
  }
  if (collections.length === 0) {
    process.stdout.write('no Mark-Compact lines: was the run made with --gc-trace?\n');
    return;
  }
  const windowMs = windowSeconds * 1000;
  const windows = new Map<number, MarkCompact[]>();
  for (const c of collections) {
    const k = Math.floor(c.endMs / windowMs);
    windows.set(k, [...(windows.get(k) ?? []), c]);
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  process.stdout.write(`${collections.length} major collections in ${(collections[collections.length - 1]!.endMs / 1000).toFixed(0)} s\n\n`);
  process.stdout.write('window (s)      | majors | marking under way | main-thread pauses | heap before -> after (MiB, mean) | mean marking wall time\n');
  for (const [k, list] of [...windows].sort((a, b) => a[0] - b[0])) {
    const marking = list.reduce((sum, c) => sum + c.markingWallMs, 0);
    const pauses = list.reduce((sum, c) => sum + c.pauseMs, 0);
    process.stdout.write(
      `${String(k * windowSeconds).padStart(6)}-${String((k + 1) * windowSeconds).padEnd(8)} | ${String(list.length).padStart(6)} | ${((100 * marking) / windowMs).toFixed(0).padStart(16)}% | ${((100 * pauses) / windowMs).toFixed(1).padStart(17)}% | ${mean(list.map((c) => c.beforeMiB)).toFixed(0).padStart(14)} -> ${mean(list.map((c) => c.afterMiB)).toFixed(0).padEnd(16)} | ${(mean(list.map((c) => c.markingWallMs)) / 1000).toFixed(1)} s\n`,
    );
  }
  const reasons = new Map<string, number>();
  for (const c of collections) reasons.set(c.reason, (reasons.get(c.reason) ?? 0) + 1);
  process.stdout.write('\nhow they ended and why they were requested\n');
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) process.stdout.write(`${String(n).padStart(6)}  ${reason}\n`);
}

main();
