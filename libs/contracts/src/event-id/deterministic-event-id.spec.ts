import { createHash } from 'node:crypto';
import { deterministicEventId, uuidV5 } from './deterministic-event-id';
import { hashDigest } from './hash-digest';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe(deterministicEventId.name, () => {
  it('computes UUID v5 as other implementations do (values from Python uuid.uuid5)', () => {
    expect(uuidV5('python.org', DNS)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5('https://example.org/a', URL)).toBe('77980eae-c343-5b01-9823-eb6ac1da021f');
  });

  it('agrees with the steps of RFC 9562 done the plain way, for any name and namespace in any order', () => {
    const plain = (name: string, namespace: string) => {
      const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
      hash[6] = (hash[6]! & 0x0f) | 0x50;
      hash[8] = (hash[8]! & 0x3f) | 0x80;
      const hex = hash.subarray(0, 16).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    // long names outgrow the reused buffer; namespaces alternate so that none is taken from the last call
    const names = ['', 'a', 'Siân Ó Ceallaigh 🙂', 'x'.repeat(5_000), '🙂'.repeat(2_000), 'after the long ones'];
    for (const namespace of [DNS, URL, DNS]) for (const name of names) expect(uuidV5(name, namespace)).toBe(plain(name, namespace));
  });

  it('keeps the ids it gave before (fixed forever: consumers recognise a resent record by them)', () => {
    expect(deterministicEventId(['bench-people', 'P-1001', 'person', 'aB3_-x'])).toBe('c9f3687f-8e59-5efc-8872-59d33d8ce013');
    expect(deterministicEventId(['feed', 'Siân Ó Ceallaigh 🙂', 'person', '1'])).toBe('4ee67e24-6e5d-5812-b231-6dac306452ff');
  });

  it('hashes a string as UTF-8 and a buffer as it is, in hex or base64url', () => {
    for (const data of ['', 'Siân 🙂', Buffer.from([0, 255, 1])]) {
      for (const algorithm of ['sha1', 'sha256'] as const) {
        for (const encoding of ['hex', 'base64url'] as const) expect(hashDigest(algorithm, data, encoding)).toBe(createHash(algorithm).update(data).digest(encoding));
      }
    }
  });

  it('gives the same id for the same parts', () => {
    const parts = ['police-feed', 'P-1001', 'person', '7'];
    expect(deterministicEventId(parts)).toBe(deterministicEventId([...parts]));
    expect(deterministicEventId(parts)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a different id when any part changes, including a new version', () => {
    const base = deterministicEventId(['police-feed', 'P-1001', 'person', '7']);
    expect(deterministicEventId(['police-feed', 'P-1001', 'person', '8'])).not.toBe(base);
    expect(deterministicEventId(['school-feed', 'P-1001', 'person', '7'])).not.toBe(base);
  });

  it('does not confuse parts that concatenate to the same text', () => {
    expect(deterministicEventId(['a|b', 'c'])).not.toBe(deterministicEventId(['a', 'b|c']));
    expect(deterministicEventId(['ab', 'c'])).not.toBe(deterministicEventId(['a', 'bc']));
  });

  it('refuses an empty list of parts', () => {
    expect(() => deterministicEventId([])).toThrow('at least one part');
  });
});
