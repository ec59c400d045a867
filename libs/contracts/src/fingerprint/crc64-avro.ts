// CRC-64-AVRO ("Rabin") fingerprint, exactly as the Avro specification gives it
// (https://avro.apache.org/docs/current/specification/#schema-fingerprints).
// BigInt is fine here: fingerprints are computed once per schema at load, never per message.

const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK);
    table.push(fp);
  }
  return table;
})();

/** The unsigned 64-bit CRC-64-AVRO fingerprint of the given bytes. */
export function crc64Avro(bytes: Uint8Array): bigint {
  let fp = EMPTY;
  for (const byte of bytes) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)];
  return fp;
}

/** The fingerprint as written after the single-object marker: 8 bytes, little-endian. */
export function fingerprintBytes(fingerprint: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(fingerprint);
  return bytes;
}

/** 16 lower-case hex digits of the unsigned fingerprint (the way tools print it). */
export function fingerprintHex(fingerprint: bigint): string {
  return fingerprint.toString(16).padStart(16, '0');
}
