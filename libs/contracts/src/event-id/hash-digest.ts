import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Buffer, outputEncoding: 'hex' | 'base64url') => string;

/**
 * node:crypto's one-shot `hash` (Node 20.12 and later). It makes no Hash object per call; ingest
 * hashes every row's content and two event ids per row, and making, feeding and finishing a
 * Hash object per call was about a tenth of its build thread's time. Older Node falls back to
 * createHash, with the same digests.
 */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** The digest of `data` (a string is hashed as UTF-8), in `encoding`. */
export function hashDigest(algorithm: 'sha1' | 'sha256', data: string | Buffer, encoding: 'hex' | 'base64url'): string {
  return oneShot ? oneShot(algorithm, data, encoding) : crypto.createHash(algorithm).update(data).digest(encoding);
}
