import { createHash } from 'node:crypto';

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

/** UUID version 5 of a name in a namespace (SHA-1, as RFC 9562 section 5.5 specifies). */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
