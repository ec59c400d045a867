import { contractRegistry, decode, decodeAs, encode, encodeLatin1, tryDecode } from '../contracts';
import { CONTRACT_EXAMPLES } from '../examples/contract-examples';
import type { ContractName } from '../generated/contracts';
import { ContractError } from './contract-error';
import { ContractRegistry } from './contract-registry';
import { isSingleObjectEncoded } from './single-object';

const names = Object.keys(CONTRACT_EXAMPLES) as ContractName[];

function errorOf(action: () => unknown): ContractError {
  try {
    action();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe(ContractRegistry.name, () => {
  it('has an example for every contract', () => {
    expect([...names].sort()).toEqual(contractRegistry.names());
  });

  it.each(names)('round-trips the %s example through single-object encoding', (name) => {
    const buffer = encode(name, CONTRACT_EXAMPLES[name] as never);
    const message = decode(buffer);
    expect(message.name).toBe(name);
    expect(message.version).toBe(contractRegistry.latestVersion(name));
    expect(message.fingerprint).toBe(contractRegistry.schema(name).fingerprintHex);
    // What was given comes back; what was left out comes back as its schema default.
    expect(message.value).toMatchObject(CONTRACT_EXAMPLES[name] as object);
    expect(encode(name, message.value as never)).toEqual(buffer);
  });

  it('writes the marker C3 01 and the writer fingerprint little-endian before the body', () => {
    const buffer = encode('AlertRaised', CONTRACT_EXAMPLES.AlertRaised);
    const schema = contractRegistry.schema('AlertRaised');
    expect([...buffer.subarray(0, 2)]).toEqual([0xc3, 0x01]);
    expect(buffer.readBigUInt64LE(2)).toBe(schema.fingerprint);
    expect(buffer.subarray(10)).toEqual(schema.type.toBuffer(CONTRACT_EXAMPLES.AlertRaised));
    expect(isSingleObjectEncoded(buffer)).toBe(true);
    expect(isSingleObjectEncoded(buffer.subarray(0, 9))).toBe(false);
    expect(isSingleObjectEncoded(Buffer.from('{"json":true}'))).toBe(false);
  });

  it('fills the defaults of fields a writer leaves out', () => {
    const { value } = decodeAs('InvolvementObserved', encode('InvolvementObserved', CONTRACT_EXAMPLES.InvolvementObserved));
    expect(value.offence).toBeNull();
    expect(value.envelope.feed).toBe('police-nightly');
    expect(value.role).toBeNull();
  });

  describe('across versions (PersonObserved v1 and v2)', () => {
    const { envelope, person, qualityFlags } = CONTRACT_EXAMPLES.PersonObserved;
    const v1Value = { envelope, person, qualityFlags };

    it('reads data an old writer wrote with the new reader: new fields take their defaults', () => {
      const message = decode(encode('PersonObserved', v1Value, 1));
      expect(message).toMatchObject({ name: 'PersonObserved', version: 1, readerVersion: 2 });
      expect(message.value).toMatchObject({ ...v1Value, loadId: null, dateOfDeath: null });
    });

    it('reads data a new writer wrote with the old reader: new fields are dropped', () => {
      const written = encode('PersonObserved', { ...v1Value, loadId: 'load-9', dateOfDeath: '2024-01-01' });
      const message = decode(written, 1);
      expect(message).toMatchObject({ name: 'PersonObserved', version: 2, readerVersion: 1 });
      expect(message.value).toMatchObject(v1Value);
      expect(message.value).not.toHaveProperty('loadId');
    });

    it('gives each version its own fingerprint', () => {
      expect(encode('PersonObserved', v1Value, 1).subarray(2, 10)).not.toEqual(encode('PersonObserved', v1Value, 2).subarray(2, 10));
    });
  });

  describe('failures', () => {
    const good = encode('AlertRaised', CONTRACT_EXAMPLES.AlertRaised);

    it('names an unknown fingerprint', () => {
      const unknown = Buffer.from(good);
      unknown.writeBigUInt64LE(0x0123456789abcdefn, 2);
      const error = errorOf(() => decode(unknown));
      expect(error.code).toBe('CONTRACTS.UNKNOWN_FINGERPRINT');
      expect(error.message).toContain('0123456789abcdef');
    });

    it('refuses a message that is not single-object encoded', () => {
      expect(errorOf(() => decode(Buffer.from('{"alertId":"A-3"}'))).code).toBe('CONTRACTS.NOT_SINGLE_OBJECT');
      expect(errorOf(() => decode(Buffer.alloc(0))).code).toBe('CONTRACTS.NOT_SINGLE_OBJECT');
    });

    it('reports a truncated body and trailing bytes as corrupt', () => {
      expect(errorOf(() => decode(good.subarray(0, good.length - 3))).code).toBe('CONTRACTS.CORRUPT_PAYLOAD');
      expect(errorOf(() => decode(Buffer.concat([good, Buffer.from([0])]))).code).toBe('CONTRACTS.CORRUPT_PAYLOAD');
    });

    it('returns failures as values from tryDecode', () => {
      const result = tryDecode(Buffer.from('nope'));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('CONTRACTS.NOT_SINGLE_OBJECT');
      const ok = tryDecode(good);
      expect(ok.ok && ok.message.name).toBe('AlertRaised');
    });

    it('refuses a message of another contract in decodeAs', () => {
      expect(errorOf(() => decodeAs('PersonObserved', good)).code).toBe('CONTRACTS.UNEXPECTED_CONTRACT');
    });

    it('refuses unknown contracts and versions', () => {
      expect(errorOf(() => contractRegistry.encode('NoSuchEvent', {})).code).toBe('CONTRACTS.UNKNOWN_CONTRACT');
      expect(errorOf(() => encode('AlertRaised', CONTRACT_EXAMPLES.AlertRaised, 99)).code).toBe('CONTRACTS.UNKNOWN_VERSION');
      expect(errorOf(() => decode(good, 99)).code).toBe('CONTRACTS.UNKNOWN_VERSION');
    });

    it('names the invalid field of a value it cannot encode, but never its value', () => {
      const secret = 'Jordan-Secret-Surname';
      const bad = { ...CONTRACT_EXAMPLES.AlertRaised, subjectId: 42, summary: secret, severity: secret };
      const error = errorOf(() => contractRegistry.encode('AlertRaised', bad));
      expect(error.code).toBe('CONTRACTS.INVALID_VALUE');
      expect(error.message).toContain('subjectId');
      expect(error.message).toContain('severity');
      expect(error.message).not.toContain(secret);
    });
  });

  it.each(names)('gives the %s example\'s bytes as a Latin-1 string, one character per byte', (name) => {
    const text = encodeLatin1(name, CONTRACT_EXAMPLES[name] as never);
    expect(Buffer.from(text, 'latin1')).toEqual(encode(name, CONTRACT_EXAMPLES[name] as never));
    expect(text.length).toBe(encode(name, CONTRACT_EXAMPLES[name] as never).length);
  });

  it('keeps every byte value, and each encoding its own, in Latin-1 strings of large values', () => {
    const raw = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => (i * 7) % 256));
    const large = encodeLatin1('PartnerRecordReceived', { ...CONTRACT_EXAMPLES.PartnerRecordReceived, raw });
    const small = encodeLatin1('AlertRaised', CONTRACT_EXAMPLES.AlertRaised);
    // the scratch buffer is reused: the first string must not change with the second encoding
    expect(decodeAs('PartnerRecordReceived', Buffer.from(large, 'latin1')).value.raw.equals(raw)).toBe(true);
    expect(decodeAs('AlertRaised', Buffer.from(small, 'latin1')).value).toMatchObject(CONTRACT_EXAMPLES.AlertRaised);
  });

  it('encodes large values by growing its scratch buffer', () => {
    const raw = Buffer.alloc(300 * 1024, 7);
    const message = decodeAs('PartnerRecordReceived', encode('PartnerRecordReceived', { ...CONTRACT_EXAMPLES.PartnerRecordReceived, raw }));
    expect(message.value.raw.equals(raw)).toBe(true);
  });
});
