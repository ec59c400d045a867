// What V8's major collections cost over a run, from the file `npm run bench:mdm -- --gc-trace <file>`
// writes:
//
//   node scripts/run-ts.mjs services/mdm/bench/gc-trace-summary.ts <file> [--window 300]
//
// Per V8 isolate (the service's main thread, and each worker thread: the outbox relay's), and
// per window of the process's life (seconds, default 300): how many major collections
// (Mark-Compact) ended in it, the share of the window during which a marking was under way
// (from its start to its end, on V8's helper threads and in steps on the isolate's own thread),
// that thread's pauses, the heap before and after; then why markings started and how they ended.
import { readFileSync } from 'node:fs';

interface MarkCompact {
  isolate: string;
  endMs: number;
  beforeMiB: number;
  afterMiB: number;
  pauseMs: number;
  markingWallMs: number;
  reason: string;
}

// [pid:isolate]    1234 ms: Mark-Compact 78.5 (97.7) -> 63.8 (98.9) MB, 7.31 / 0.00 ms  (+ 22.6 ms in 150 steps since start of marking, biggest step 5.2 ms, walltime since start of marking 65 ms) (average mu = 1.000, current mu = 1.000) finalize incremental marking via stack guard; GC in old space requested
const MARK_COMPACT = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: Mark-Compact(?: \(reduce\))? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms\s+(?:\(\+ [\d.]+ ms in \d+ steps since start of marking, biggest step [\d.]+ ms, walltime since start of marking (\d+) ms\) )?\(average mu = [\d.]+, current mu = [\d.]+\) (.*)$/;

// [pid:isolate]    1234 ms: [IncrementalMarking] Start (external memory pressure): (size/limit/slack) …
const START = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: \[IncrementalMarking\] Start \(([^)]+)\)/;

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: gc-trace-summary.ts <file> [--window seconds]\n');
    process.exit(2);
  }
  const windowSeconds = rest.includes('--window') ? Number(rest[rest.indexOf('--window') + 1]) : 300;
  const all: MarkCompact[] = [];
  const started = new Map<string, Map<string, number>>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const start = START.exec(line);
    if (start) {
      const reasons = started.get(start[1]!) ?? new Map<string, number>();
      reasons.set(start[2]!, (reasons.get(start[2]!) ?? 0) + 1);
      started.set(start[1]!, reasons);
      continue;
    }
    const m = MARK_COMPACT.exec(line);
    if (!m) continue;
    all.push({ isolate: m[1]!, endMs: Number(m[2]), beforeMiB: Number(m[3]), afterMiB: Number(m[4]), pauseMs: Number(m[5]), markingWallMs: Number(m[6] ?? m[5]), reason: m[7]!.trim() });
  }
  if (all.length === 0) {
    process.stdout.write('no Mark-Compact lines: was the run made with --gc-trace?\n');
    return;
  }
  // the isolate with the largest heap first: the service's main thread
  const isolates = [...new Set(all.map((c) => c.isolate))].sort((a, b) => Math.max(...all.filter((c) => c.isolate === b).map((c) => c.beforeMiB)) - Math.max(...all.filter((c) => c.isolate === a).map((c) => c.beforeMiB)));
  for (const isolate of isolates) {
    process.stdout.write(`\n=== isolate ${isolate}${isolate === isolates[0] ? ' (the largest heap: the main thread)' : ''}\n`);
    report(all.filter((c) => c.isolate === isolate), started.get(isolate) ?? new Map(), windowSeconds);
  }
}

function report(collections: MarkCompact[], started: Map<string, number>, windowSeconds: number): void {
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
  process.stdout.write('\nwhy markings started (with --trace-incremental-marking, the preload\'s default)\n');
  for (const [reason, n] of [...started].sort((a, b) => b[1] - a[1])) process.stdout.write(`${String(n).padStart(6)}  ${reason}\n`);
  const reasons = new Map<string, number>();
  for (const c of collections) reasons.set(c.reason, (reasons.get(c.reason) ?? 0) + 1);
  process.stdout.write('how they ended\n');
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) process.stdout.write(`${String(n).padStart(6)}  ${reason}\n`);
}

main();
