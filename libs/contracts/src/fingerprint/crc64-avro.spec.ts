import { parsingCanonicalForm } from './canonical-form';
import { crc64Avro, fingerprintBytes, fingerprintHex } from './crc64-avro';

// Vectors from Apache Avro's share/test/data/schema-tests.txt (INPUT, canonical form,
// fingerprint as a signed Java long). Inputs are given as JSON text, as in that file.
const VECTORS: [string, string, string | null][] = [
  ['"null"', '"null"', '7195948357588979594'],
  ['{"type":"null"}', '"null"', null],
  ['"boolean"', '"boolean"', '-6970731678124411036'],
  ['"int"', '"int"', '8247732601305521295'],
  ['{"type":"int"}', '"int"', null],
  ['"long"', '"long"', '-3434872931120570953'],
  ['"float"', '"float"', '5583340709985441680'],
  ['"double"', '"double"', '-8181574048448539266'],
  ['"bytes"', '"bytes"', '5746618253357095269'],
  ['"string"', '"string"', '-8142146995180207161'],
  ['[  ]', '[]', '-1241056759729112623'],
  ['[ "int"  ]', '["int"]', '-5232228896498058493'],
  ['[ "int" , {"type":"boolean"} ]', '["int","boolean"]', '5392556393470105090'],
  ['{"fields":[], "type":"record", "name":"foo"}', '{"name":"foo","type":"record","fields":[]}', '-4824392279771201922'],
  ['{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}', '{"name":"x.y.foo","type":"record","fields":[]}', '5916914534497305771'],
  ['{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}', '{"name":"a.b.foo","type":"record","fields":[]}', '-4616218487480524110'],
  ['{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}', '{"name":"foo","type":"record","fields":[]}', '-4824392279771201922'],
  ['{"fields":[], "type":"record", "name":"foo", "aliases":["foo","bar"]}', '{"name":"foo","type":"record","fields":[]}', '-4824392279771201922'],
  ['{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}', '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}', '7843277075252814651'],
  [
    '{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":"true"}, {"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo" }',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    '-4860222112080293046',
  ],
  ['{"type":"enum", "name":"foo", "symbols":["A1"]}', '{"name":"foo","type":"enum","symbols":["A1"]}', '-6342190197741309591'],
  ['{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}', '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}', '-4448647247586288245'],
  ['{"name":"foo","type":"fixed","size":15}', '{"name":"foo","type":"fixed","size":15}', '1756455273707447556'],
  ['{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}', '{"name":"x.y.z.foo","type":"fixed","size":32}', '-3064184465700546786'],
  ['{ "items":{"type":"null"}, "type":"array"}', '{"type":"array","items":"null"}', '-589620603366471059'],
  ['{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}', '-8732877298790414990'],
  [
    '{"name":"PigValue","type":"record", "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    '-1759257747318642341',
  ],
];

describe('CRC-64-AVRO and Parsing Canonical Form', () => {
  it.each(VECTORS)('%s has the canonical form and fingerprint of the Avro test suite', (input, expectedCanonical, expectedFingerprint) => {
    const form = parsingCanonicalForm(JSON.parse(input));
    expect(form).toBe(expectedCanonical);
    if (expectedFingerprint !== null) {
      expect(BigInt.asIntN(64, crc64Avro(Buffer.from(form, 'utf8')))).toBe(BigInt(expectedFingerprint));
    }
  });

  it('qualifies nested names with the enclosing namespace and refers to a defined name by name', () => {
    const schema = {
      type: 'record', name: 'Outer', namespace: 'a.b',
      fields: [
        { name: 'x', type: { type: 'enum', name: 'E', symbols: ['A'] } },
        { name: 'y', type: 'E' },
        { name: 'z', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    };
    expect(parsingCanonicalForm(schema)).toBe(
      '{"name":"a.b.Outer","type":"record","fields":[{"name":"x","type":{"name":"a.b.E","type":"enum","symbols":["A"]}},{"name":"y","type":"a.b.E"},{"name":"z","type":"long"}]}',
    );
  });

  it('writes the fingerprint little-endian and prints it as unsigned hex', () => {
    const fp = 0x0102030405060708n;
    expect([...fingerprintBytes(fp)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(fingerprintHex(0xabn)).toBe('00000000000000ab');
  });

  it('gives different fingerprints for different bytes', () => {
    expect(crc64Avro(Buffer.from('"int"'))).not.toBe(crc64Avro(Buffer.from('"long"')));
    expect(crc64Avro(new Uint8Array())).toBe(0xc15d213aa4d7a795n);
  });
});
