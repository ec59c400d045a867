/**
 * patches/kafkajs+2.2.4.patch (applied by `patch-package` when npm installs) makes kafkajs's
 * producer encode with fewer allocations: pooled buffers, varints written in place, headers
 * written into their record, messages grouped by partition without copying, keys hashed with
 * 32-bit arithmetic instead of BigInt-backed Longs; and its consumer decode records' offsets
 * and timestamps without them. Kafka must receive exactly the bytes the unpatched library sent,
 * every key must land on the same partition, and a consumer must see the same records; vectors.json holds
 * what kafkajs 2.2.4 itself made (make-vectors.cjs says how).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { kafkajsPatched } from '../kafkajs-patched';

const { encodings } = require('./make-vectors.cjs') as { encodings: (root: string) => Promise<unknown> };
const kafkajsRoot = dirname(require.resolve('kafkajs/package.json'));
const Encoder = require(join(kafkajsRoot, 'src/protocol/encoder')) as new () => {
  writeVarInt(v: number): unknown;
  writeUVarInt(v: number): unknown;
  writeVarLong(v: number | string): unknown;
  buffer: Buffer;
};
const Decoder = require(join(kafkajsRoot, 'src/protocol/decoder')) as new (b: Buffer) => {
  readVarInt(): number;
  readVarLong(): { toString(): string };
};

const PATCHED_FILES = [
  'src/protocol/encoder.js',
  'src/protocol/recordBatch/record/v0/index.js',
  'src/protocol/requests/produce/v3/request.js',
  'src/protocol/recordBatch/record/v0/decoder.js',
  'src/producer/groupMessagesPerPartition.js',
  'src/producer/partitioners/default/murmur2.js',
  'src/producer/partitioners/legacy/partitioner.js',
];

describe('kafkajs as patched for the hub', () => {
  it('is the patched version (npm install ran patch-package)', () => {
    for (const file of PATCHED_FILES) {
      const source = readFileSync(join(kafkajsRoot, file), 'utf8');
      // a clear message rather than a bare mismatch: installing with --ignore-scripts skips the patch
      if (!source.includes('Patched by the data hub')) throw new Error(`${file} of kafkajs is not patched: run \`npx patch-package\``);
    }
    // what a service checks when it first connects (it warns when false)
    expect(kafkajsPatched()).toBe(true);
  });

  it('hashes keys, picks partitions, encodes requests, record batches, records and varints, and decodes record batches exactly as kafkajs 2.2.4 did', async () => {
    const expected = JSON.parse(readFileSync(join(__dirname, 'vectors.json'), 'utf8')) as unknown;
    expect(await encodings(kafkajsRoot)).toEqual(expected);
  });

  it('round-trips random varints of every size through kafkajs’s own decoder', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const ints = Array.from({ length: 2000 }, () => Math.floor((random() - 0.5) * 2 ** Math.floor(random() * 33)));
    const longs = Array.from({ length: 2000 }, () => Math.floor((random() - 0.5) * 2 ** Math.floor(random() * 54)));
    const encoder = new Encoder();
    for (const v of ints) encoder.writeVarInt(v);
    for (const v of longs) encoder.writeVarLong(v);
    const decoder = new Decoder(encoder.buffer);
    expect(ints.map(() => decoder.readVarInt())).toEqual(ints);
    expect(longs.map(() => decoder.readVarLong().toString())).toEqual(longs.map(String));
  });

  it('still refuses what kafkajs refused: a fractional 64-bit value', () => {
    expect(() => new Encoder().writeVarLong(1.5)).toThrow(RangeError);
  });
});
