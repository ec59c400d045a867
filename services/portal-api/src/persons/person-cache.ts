import type { Logger } from '@hub/platform';
import type Redis from 'ioredis';
import type { PersonState } from './domain/read-model';

/**
 * Masters by id in Redis, in front of the `person` table. Only a cache: a miss, a flush or
 * Redis being away costs a PostgreSQL lookup and nothing else. Readers fill only what is
 * missing (SET NX) and the consumer overwrites after each commit, so a reader holding an older
 * row cannot overwrite a newer one; entries expire, which bounds staleness if an overwrite was
 * lost while Redis was away.
 */
export class PersonCache {
  constructor(private readonly redis: Redis | null, private readonly ttlSeconds: number, private readonly logger: Logger) {}

  private key(id: string): string {
    return `portal-api:person:${id}`;
  }

  private get usable(): boolean {
    return this.redis !== null && this.redis.status === 'ready';
  }

  async get(id: string): Promise<PersonState | undefined> {
    if (!this.usable) return undefined;
    try {
      const value = await this.redis!.get(this.key(id));
      return value ? (JSON.parse(value) as PersonState) : undefined;
    } catch (error) {
      this.warn('read', error);
      return undefined;
    }
  }

  async fill(state: PersonState): Promise<void> {
    if (!this.usable) return;
    await this.redis!.set(this.key(state.id), JSON.stringify(state), 'EX', this.ttlSeconds, 'NX').catch((error: unknown) => this.warn('fill', error));
  }

  /** After the read model committed: the new state replaces the cached one, an erased master leaves. */
  async replace(changed: ReadonlyMap<string, PersonState | null>): Promise<void> {
    if (!this.usable || changed.size === 0) return;
    const pipeline = this.redis!.pipeline();
    for (const [id, state] of changed) {
      if (state) pipeline.set(this.key(id), JSON.stringify(state), 'EX', this.ttlSeconds);
      else pipeline.del(this.key(id));
    }
    await pipeline.exec().catch((error: unknown) => this.warn('replace', error));
  }

  private warn(operation: string, error: unknown): void {
    this.logger.warn({ operation, error: (error as Error).message }, 'person cache unavailable; answering from PostgreSQL');
  }
}
