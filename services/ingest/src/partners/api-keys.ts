import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Partner API keys. The clear key is shown once, when it is issued; the hub keeps only its
 * HMAC-SHA256 digest under a server-side secret (INGEST_API_KEY_SECRET), so a copy of the
 * database does not give anyone a working key. A partner may hold several keys at once:
 * rotation issues a new key and lets the old ones run on for an overlap period.
 */
export class ApiKeys {
  constructor(private readonly dataSource: DataSource, private readonly secret: string) {}

  digest(key: string): string {
    return createHmac('sha256', this.secret).update(key, 'utf8').digest('hex');
  }

  async ensurePartner(id: string, name = id): Promise<void> {
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(id)) throw new Error('partner id: lower-case letters, digits and dashes');
    await this.dataSource.query(`INSERT INTO partner (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [id, name]);
  }

  /** Issues a key; returns the clear key (shown once) and its id. */
  async issue(partnerId: string, expiresAt: Date | null = null): Promise<{ id: string; key: string }> {
    await this.ensurePartner(partnerId);
    const id = `key-${randomBytes(6).toString('hex')}`;
    const key = `hubk_${randomBytes(32).toString('base64url')}`;
    await this.dataSource.query(`INSERT INTO api_key (id, partner_id, digest, expires_at) VALUES ($1, $2, $3, $4)`, [id, partnerId, this.digest(key), expiresAt]);
    return { id, key };
  }

  /** Issues a new key and ends the partner's other keys after the overlap. */
  async rotate(partnerId: string, overlapHours: number): Promise<{ id: string; key: string; previousKeysExpireAt: Date }> {
    const until = new Date(Date.now() + overlapHours * 3600_000);
    await this.dataSource.query(
      `UPDATE api_key SET expires_at = LEAST(coalesce(expires_at, $2), $2) WHERE partner_id = $1 AND revoked_at IS NULL`,
      [partnerId, until],
    );
    return { ...(await this.issue(partnerId)), previousKeysExpireAt: until };
  }

  async revoke(keyId: string): Promise<void> {
    await this.dataSource.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [keyId]);
  }

  /** The partner a presented key belongs to, if the key is known, unrevoked and unexpired. */
  async partnerFor(presented: string): Promise<string | undefined> {
    if (presented.length < 20 || presented.length > 200) return undefined;
    const digest = this.digest(presented);
    const rows: { partner_id: string; digest: string }[] = await this.dataSource.query(
      `SELECT partner_id, digest FROM api_key WHERE digest = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [digest],
    );
    const row = rows[0];
    if (!row) return undefined;
    return timingSafeEqual(Buffer.from(row.digest, 'hex'), Buffer.from(digest, 'hex')) ? row.partner_id : undefined;
  }
}
