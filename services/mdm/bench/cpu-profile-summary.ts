// Where a process's CPU time went, from a V8 CPU profile (`node --cpu-prof`, as
// `npm run bench:mdm -- --cpu-prof` writes for the mdm process):
//
//   node scripts/run-ts.mjs services/mdm/bench/cpu-profile-summary.ts <file.cpuprofile> [--top 40] [--from S] [--to S]
//
// Prints self time by area (the package or source folder of the function) and the functions
// with the most self time, as shares of the sampled time. --from and --to keep only the samples
// taken that many seconds after the profile started (the late part of a long drain, say).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const AREAS: Array<[RegExp, string]> = [
  [/node_modules\/pg(-[a-z]+)?\//, 'PostgreSQL client (pg)'],
  [/node_modules\/typeorm\//, 'typeorm'],
  [/node_modules\/kafkajs\//, 'Kafka client (kafkajs)'],
  [/node_modules\/avsc\//, 'Avro (avsc)'],
  [/node_modules\/(@opentelemetry|prom-client)\//, 'telemetry and metrics'],
  [/node_modules\/(pino|sonic-boom)/, 'logging'],
  [/node_modules\/(@nestjs|fastify|rxjs)/, 'NestJS, Fastify, rxjs'],
  [/node_modules\/talisman\//, 'string similarity (talisman)'],
  [/node_modules\//, 'other packages'],
  [/mdm\/(src|dist)\/matching\/domain\/blocking/, 'mdm: blocking (candidate index)'],
  [/mdm\/(src|dist)\/matching\/domain\/(comparisons|string-similarity)/, 'mdm: comparisons and string similarity'],
  [/mdm\/(src|dist)\/matching\/domain\/match-record/, 'mdm: features of a record'],
  [/mdm\/(src|dist)\/matching\/domain\/(incremental-resolver|decision|model)/, 'mdm: resolver (scoring, clusters)'],
  [/mdm\/(src|dist)\/matching\//, 'mdm: other matching'],
  [/mdm\/(src|dist)\/golden-record\//, 'mdm: golden records'],
  [/mdm\/(src|dist)\/resolution\//, 'mdm: resolution (projection, repository, master messages)'],
  [/mdm\/(src|dist)\//, 'mdm: other'],
  [/libs\/platform\/(src|dist)\/outbox/, 'platform: outbox relay and writer'],
  [/libs\/platform\//, 'platform: other'],
  [/libs\/contracts\//, 'contracts (Avro codec wrappers)'],
  [/^node:|^internal\//, 'Node.js internals'],
];

function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8 and native (program)';
    if (/^(parse|stringify)$/.test(functionName)) return `JSON.${functionName}`;
    return `native: ${functionName || '(anonymous)'}`;
  }
  return AREAS.find(([pattern]) => pattern.test(url))?.[1] ?? 'other';
}

/** Keeps the samples taken between fromMicros and toMicros after the profile's start, in place. */
function keepWindow(profile: Profile, fromMicros: number, toMicros: number): void {
  if (fromMicros <= 0 && toMicros === Infinity) return;
  const samples: number[] = [];
  const timeDeltas: number[] = [0];
  let at = 0;
  let first: number | undefined;
  let last = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromMicros || at > toMicros) return;
    first ??= at;
    // each sample's time is the delta that follows it (as main() reads it)
    samples.push(id);
    timeDeltas.push(profile.timeDeltas[i + 1] ?? 0);
    last = at;
  });
  profile.samples = samples;
  profile.timeDeltas = timeDeltas;
  profile.endTime = profile.startTime + last;
  profile.startTime += first ?? 0;
}

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: cpu-profile-summary.ts <file.cpuprofile> [--top N]\n');
    process.exit(2);
  }
  const numberAfter = (name: string, otherwise: number) => (rest.includes(name) ? Number(rest[rest.indexOf(name) + 1]) : otherwise);
  const top = numberAfter('--top', 40);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  keepWindow(profile, numberAfter('--from', 0) * 1e6, numberAfter('--to', Infinity) * 1e6);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  let total = 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, micros] of self) {
    const node = byId.get(id)!;
    total += micros;
    const area = areaOf(node);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    const where = node.callFrame.url ? `${node.callFrame.url.replace(/^.*\/(node_modules|services|libs)\//, '$1/')}:${node.callFrame.lineNumber + 1}` : '';
    const name = `${node.callFrame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const busy = total - (areas.get('idle') ?? 0);
  const line = (name: string, micros: number) => `${(micros / 1e6).toFixed(1).padStart(8)} s  ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`;
  process.stdout.write(`profile: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s wall, ${(busy / 1e6).toFixed(1)} s on CPU (not idle); shares are of the time on CPU\n\nby area (self time)\n`);
  for (const [area, micros] of [...areas].sort((a, b) => b[1] - a[1])) if (area !== 'idle') process.stdout.write(`${line(area, micros)}\n`);
  process.stdout.write(`\ntop ${top} functions (self time)\n`);
  for (const [name, micros] of [...functions].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${line(name, micros)}\n`);

  // inclusive time of the hub's own functions (services/, libs/): each sample counts once
  // for every distinct such function on its stack
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!/\/(services|libs)\//.test(url) || /node_modules/.test(url)) continue;
      const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(services|libs)\//, '$1/')}:${lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  });
  process.stdout.write(`\ntop ${top} of the hub's own functions (inclusive time)\n`);
  for (const [name, micros] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${line(name, micros)}\n`);
}

main();
