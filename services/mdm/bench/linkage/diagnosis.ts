// Where the synthetic city's errors are: pairs of one true person that the masters keep apart
// (missed) and pairs of two persons that one master holds (wrong), counted by the pair of
// feeds and by the noise the generator applied to either record (truth/records.csv).
import type { RecordTruth } from '@hub/synthetic';

interface Tally {
  missed: Record<string, number>;
  wrong: Record<string, number>;
}

const bump = (counts: Record<string, number>, key: string, by = 1) => (counts[key] = (counts[key] ?? 0) + by);
const top = (counts: Record<string, number>, n: number) => Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, n));

/**
 * `keys`: the scored record keys (`<feed>/<opaque id>`); `original`: the feed's own id of each;
 * `masterOf`: the pipeline's master of each; `recordTruth`: truth/records.csv.
 */
export function diagnose(
  keys: readonly string[],
  original: (key: string) => string,
  masterOf: (key: string) => string,
  recordTruth: ReadonlyMap<string, RecordTruth>,
  examples = 12,
) {
  const info = keys.map((key) => {
    const feed = key.slice(0, key.indexOf('/'));
    const truth = recordTruth.get(`${feed}\t${original(key)}`);
    return { key, feed, id: original(key), person: truth?.personId ?? `unknown:${key}`, noise: truth?.noise ?? [], master: masterOf(key) };
  });
  const byPerson = new Map<string, typeof info>();
  const byMaster = new Map<string, typeof info>();
  for (const r of info) {
    byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r]);
    byMaster.set(r.master, [...(byMaster.get(r.master) ?? []), r]);
  }
  const feeds: Tally = { missed: {}, wrong: {} };
  const noise: Tally = { missed: {}, wrong: {} };
  const samples: { missed: unknown[]; wrong: unknown[] } = { missed: [], wrong: [] };
  let missed = 0;
  let wrong = 0;
  const count = (kind: 'missed' | 'wrong', a: (typeof info)[number], b: (typeof info)[number]) => {
    bump(feeds[kind], [a.feed, b.feed].sort().join(' ~ '));
    const kinds = new Set([...a.noise, ...b.noise]);
    if (kinds.size === 0) bump(noise[kind], '(none)');
    for (const k of kinds) bump(noise[kind], k);
    if (samples[kind].length < examples) samples[kind].push([`${a.feed}/${a.id} (${a.noise.join('|') || '-'})`, `${b.feed}/${b.id} (${b.noise.join('|') || '-'})`]);
  };
  for (const group of byPerson.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) if (group[i]!.master !== group[j]!.master) (missed++, count('missed', group[i]!, group[j]!));
  }
  for (const group of byMaster.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) if (group[i]!.person !== group[j]!.person) (wrong++, count('wrong', group[i]!, group[j]!));
  }
  return {
    missedPairs: missed, wrongPairs: wrong,
    missedByFeedPair: top(feeds.missed, 15), wrongByFeedPair: top(feeds.wrong, 15),
    missedByNoise: top(noise.missed, 15), wrongByNoise: top(noise.wrong, 15),
    examples: samples,
  };
}
