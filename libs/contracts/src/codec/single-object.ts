// Avro single-object encoding: 0xC3 0x01, the writer schema's CRC-64-AVRO fingerprint
// (8 bytes, little-endian), then the Avro binary body.
// https://avro.apache.org/docs/current/specification/#single-object-encoding
import { fingerprintBytes } from '../fingerprint/crc64-avro';

export const MAGIC_0 = 0xc3;
export const MAGIC_1 = 0x01;
export const HEADER_LENGTH = 10;

/** True when the buffer starts with the single-object marker and has room for a fingerprint. */
export function isSingleObjectEncoded(buffer: Uint8Array): boolean {
  return buffer.length >= HEADER_LENGTH && buffer[0] === MAGIC_0 && buffer[1] === MAGIC_1;
}

export function singleObjectHeader(fingerprint: bigint): Buffer {
  return Buffer.concat([Buffer.from([MAGIC_0, MAGIC_1]), fingerprintBytes(fingerprint)]);
}

/** The writer fingerprint of a single-object encoded buffer (check isSingleObjectEncoded first). */
export function readFingerprint(buffer: Buffer): bigint {
  return buffer.readBigUInt64LE(2);
}
