// `node scripts/run-ts.mjs libs/contracts/bench/codec.bench.ts`: single-object encode and
// decode rates for PersonObserved on this machine. Prints figures; asserts nothing.
import { CONTRACT_EXAMPLES, decode, encode } from '@hub/contracts';

const N = 200_000;
const value = CONTRACT_EXAMPLES.PersonObserved;
const v1 = { envelope: value.envelope, person: value.person, qualityFlags: value.qualityFlags };

function rate(label: string, run: () => void): void {
  for (let i = 0; i < 10_000; i++) run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${label}: ${Math.round(N / seconds).toLocaleString('en-GB')} messages/s\n`);
}

const latest = encode('PersonObserved', value);
const old = encode('PersonObserved', v1, 1);
process.stdout.write(`PersonObserved example: ${latest.length} bytes\n`);
rate('encode (latest)', () => encode('PersonObserved', value));
rate('decode (same version)', () => decode(latest));
rate('decode (v1 writer, v2 reader)', () => decode(old));
