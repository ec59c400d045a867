// What kafkajs-patch.spec.ts and make-vectors.cjs encode: varints at every length boundary and
// at the edges of the patch's fast path (±2^30), and records like the hub's (Avro bytes, the
// event-type and event-id headers), with the odd cases kafkajs allows (null key and value,
// repeated headers, a 64-bit timestamp delta).
module.exports = {
  INT_VALUES: [0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 2 ** 20, -(2 ** 20), 2 ** 30 - 1, -(2 ** 30), 2 ** 31 - 1, -(2 ** 31)],
  UINT_VALUES: [0, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 31, 2 ** 32 - 1],
  LONG_VALUES: [0, -1, 1, 63, -64, 2 ** 30 - 1, -(2 ** 30), 2 ** 30, -(2 ** 30) - 1, 2 ** 31, 2 ** 40, -(2 ** 53 - 1), 2 ** 53 - 1, '123456789012'],
  LONG_SIZE_VALUES: [0, -1, 2 ** 30 - 1, -(2 ** 30), 2 ** 30, -(2 ** 30) - 1, 2 ** 40, -(2 ** 53 - 1)],
  RECORDS: [
    {
      key: Buffer.from('person/P1'),
      value: Buffer.from([0, 1, 2, 250, 255]),
      headers: { 'event-type': 'PersonObserved', 'event-id': 'c9f3687f-0000-5000-8000-000000000001' },
      offsetDelta: 0,
      timestampDelta: 0,
    },
    { key: 'k2', value: 'x'.repeat(70), headers: { h: ['a', 'b'], traceparent: '00-abc-def-01', e: Buffer.from('é') }, offsetDelta: 1, timestampDelta: 1234 },
    { key: null, value: null, headers: {}, offsetDelta: 70000, timestampDelta: -5 },
    { key: 'k4', value: Buffer.alloc(0), offsetDelta: 2, timestampDelta: 2 ** 40 },
    { key: 'ü', value: Buffer.alloc(600, 7), headers: { big: 'y'.repeat(700) }, offsetDelta: 3, timestampDelta: 2 ** 30 },
  ],
  /** Keys to hash: every length 0-66 (all tails of the 4-byte loop), bytes from a fixed sequence, and strings. */
  hashKeys: () => {
    let seed = 7;
    const byte = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    const buffers = Array.from({ length: 200 }, (_, i) => Buffer.from(Array.from({ length: i % 67 }, byte)));
    return [...buffers, '', 'a', 'person/P1', 'gp-registrations/GP00007303', 'é漢字😀', 'x'.repeat(1000)];
  },
  PRODUCE: {
    acks: -1,
    timeout: 30000,
    producerId: 11,
    producerEpoch: 2,
    topicData: [
      {
        topic: 'hub.person-observed.v1',
        partitions: [
          {
            partition: 3,
            firstSequence: 9,
            messages: [
              { key: 'person/P1', value: Buffer.from([1, 2, 3]), headers: { 'event-type': 'PersonObserved', 'event-id': 'e1' }, timestamp: 1764288000000 },
              { key: 'person/P2', value: Buffer.from([4]), headers: { 'event-type': 'PersonObserved', 'event-id': 'e2' }, timestamp: 1764288000007 },
            ],
          },
        ],
      },
    ],
  },
  /** Record batches to decode as a consumer would: odd headers, deltas past 28 bits, a first offset past 2^53. */
  DECODED_BATCHES: [
    {
      firstOffset: '1234567',
      firstTimestamp: 1764288000000,
      maxTimestamp: 1764288009999,
      records: [
        { key: 'person/P1', value: Buffer.from([1, 2, 3]), headers: { 'event-type': 'PersonObserved', 'event-id': 'e1' }, offsetDelta: 0, timestampDelta: 0 },
        { key: null, value: null, headers: { h: ['a', 'b', 'c'], ['__proto__']: 'p', toString: 'q' }, offsetDelta: 1, timestampDelta: -3 },
        { key: 'k', value: 'v', headers: {}, offsetDelta: 300000, timestampDelta: 2 ** 28 },
        { key: 'k', value: 'v', offsetDelta: 300001, timestampDelta: 2 ** 40 },
        { key: 'k', value: 'v', offsetDelta: 300002, timestampDelta: -(2 ** 27) },
      ],
    },
    {
      firstOffset: '9007199254740993',
      firstTimestamp: 9007199254740000,
      maxTimestamp: 9007199254740000,
      records: [
        { key: 'a', value: 'b', offsetDelta: 0, timestampDelta: 0 },
        { key: 'a', value: 'b', offsetDelta: 5, timestampDelta: 2000 },
      ],
    },
  ],
  BATCH: { firstTimestamp: 1764288000000, maxTimestamp: 1764288001234, producerId: 7, producerEpoch: 1, firstSequence: 42, lastOffsetDelta: 4 },
};
