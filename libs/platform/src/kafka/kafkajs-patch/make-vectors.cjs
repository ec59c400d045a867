// Writes the encodings that kafkajs-patch.spec.ts expects, made by an unpatched kafkajs 2.2.4:
//
//   npm pack kafkajs@2.2.4 --pack-destination /tmp && mkdir -p /tmp/kafkajs && tar xzf /tmp/kafkajs-2.2.4.tgz -C /tmp/kafkajs
//   node libs/platform/src/kafka/kafkajs-patch/make-vectors.cjs /tmp/kafkajs/package > libs/platform/src/kafka/kafkajs-patch/vectors.json
//
// Run against node_modules/kafkajs (patched) it must print the same JSON.
const { INT_VALUES, UINT_VALUES, LONG_VALUES, LONG_SIZE_VALUES, RECORDS, BATCH, hashKeys, PRODUCE, DECODED_BATCHES } = require('./inputs.cjs');

const hex = (value) => (Buffer.isBuffer(value) ? value.toString('hex') : value === null ? null : String(value));

/** The encodings of inputs.cjs by the kafkajs package in folder `root`. */
async function encodings(root) {
  const Record = require(`${root}/src/protocol/recordBatch/record/v0`);
  const { RecordBatch } = require(`${root}/src/protocol/recordBatch/v0`);
  const Encoder = require(`${root}/src/protocol/encoder`);
  const groupMessagesPerPartition = require(`${root}/src/producer/groupMessagesPerPartition`);
  const murmur2 = require(`${root}/src/producer/partitioners/default/murmur2`);
  const { DefaultPartitioner } = require(`${root}/src/producer/partitioners`);
  const produceV3 = require(`${root}/src/protocol/requests/produce/v3/request`);
  const Decoder = require(`${root}/src/protocol/decoder`);
  const decodeRecordBatch = require(`${root}/src/protocol/recordBatch/v0/decoder`);
  const records = RECORDS.map((r) => Record(r));
  const batch = await RecordBatch({ ...BATCH, records });
  const varints = new Encoder();
  for (const v of INT_VALUES) varints.writeVarInt(v);
  for (const v of UINT_VALUES) varints.writeUVarInt(v);
  for (const v of LONG_VALUES) varints.writeVarLong(v);
  const messages = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
  const grouped = groupMessagesPerPartition({
    topic: 't',
    partitionMetadata: [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }],
    messages,
    partitioner: ({ message }) => (Number(message.key.slice(1)) * 7) % 3,
  });
  const partitioner = DefaultPartitioner();
  const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId, leader: partitionId % 5 === 4 ? -1 : 0 }));
  const keys = hashKeys();
  const produce = await produceV3(PRODUCE).encode();
  const decoded = [];
  for (const { records: inputs, ...batchFields } of DECODED_BATCHES) {
    const encoded = await RecordBatch({ ...batchFields, records: inputs.map((r) => Record(r)), lastOffsetDelta: inputs.length - 1 });
    const batch = await decodeRecordBatch(new Decoder(encoded.buffer));
    decoded.push(
      batch.records.map((r) => ({
        timestamp: r.timestamp,
        offset: r.offset,
        key: hex(r.key),
        value: hex(r.value),
        headers: Object.entries(r.headers).map(([name, v]) => [name, Array.isArray(v) ? v.map(hex) : hex(v)]),
        plainHeaders: Object.getPrototypeOf(r.headers) === Object.prototype,
      })),
    );
  }
  return {
    murmur2: keys.map((key) => murmur2(key)),
    partitions: keys.map((key) => partitioner({ topic: 't', partitionMetadata, message: { key, value: 'v' } })),
    explicitPartition: partitioner({ topic: 't', partitionMetadata, message: { key: 'k', partition: 5 } }),
    produceRequest: produce.buffer.toString('hex'),
    decoded,
    records: records.map((r) => r.buffer.toString('hex')),
    batch: batch.buffer.toString('hex'),
    varints: varints.buffer.toString('hex'),
    varLongSizes: LONG_SIZE_VALUES.map((v) => Encoder.sizeOfVarLong(v)),
    grouped: Object.entries(grouped).map(([partition, list]) => [partition, list.map((m) => m.key)]),
  };
}

module.exports = { encodings };

if (require.main === module) {
  const root = process.argv[2];
  if (!root) throw new Error('usage: node make-vectors.cjs <kafkajs package folder>');
  encodings(require('node:path').resolve(root)).then((out) => process.stdout.write(`${JSON.stringify(out, null, 1)}\n`));
}
