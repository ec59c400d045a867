/** FNV-1a over the key's UTF-8 bytes: stable across processes and releases, unlike a language hash. */
export function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(key, 'utf8');
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}
