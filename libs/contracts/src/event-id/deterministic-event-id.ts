import { hashDigest } from './hash-digest';

/** Namespace of the hub's event ids (fixed forever: changing it changes every id). */
export const HUB_EVENT_ID_NAMESPACE = '6f6e1c2a-3c1d-4f39-9a55-3b1f5a0d2c71';

/**
 * A UUID (version 5, RFC 9562) that depends only on the parts, e.g. feed or source system,
 * source record id, record type and version: the same input always yields the same id, so
 * a replayed or resent record is recognisable. Parts are length-prefixed before hashing so
 * that ["a|b", "c"] and ["a", "b|c"] never collide.
 */
export function deterministicEventId(parts: readonly string[]): string {
  if (parts.length === 0) throw new Error('deterministicEventId needs at least one part');
  const name = parts.map((part) => `${Buffer.byteLength(part, 'utf8')}:${part}`).join('');
  return uuidV5(name, HUB_EVENT_ID_NAMESPACE);
}

/** A namespace's 16 bytes, kept for the next call: the hub hashes every id in one namespace. */
let lastNamespace = { text: '', bytes: Buffer.alloc(16) };
/** Where the namespace and name are joined for hashing, reused (a buffer per id was measurable). */
let scratch = Buffer.allocUnsafe(1024);

/** UUID version 5 of a name in a namespace (SHA-1, as RFC 9562 section 5.5 specifies). */
export function uuidV5(name: string, namespace: string): string {
  if (namespace !== lastNamespace.text) {
    const bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    if (bytes.length !== 16) throw new Error(`not a UUID: ${namespace}`);
    lastNamespace = { text: namespace, bytes };
  }
  // a UTF-16 code unit is at most three bytes of UTF-8
  if (16 + 3 * name.length > scratch.length) scratch = Buffer.allocUnsafe(16 + 3 * name.length);
  lastNamespace.bytes.copy(scratch, 0);
  const length = 16 + scratch.write(name, 16, 'utf8');
  const hex = hashDigest('sha1', scratch.subarray(0, length), 'hex');
  // the version (5) is the 13th hex digit; the variant (binary 10) the top bits of the 17th
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
