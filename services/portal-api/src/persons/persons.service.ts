import type { PersonState } from './domain/read-model';
import type { SearchQuery } from './domain/search-query';
import { PortalError } from '../http/portal-error';
import type { PersonCache } from './person-cache';
import type { PersonRepository } from './person.repository';

/** Merges can chain (A into B, B into C); more hops than this means the read model is inconsistent. */
const MAX_ALIAS_HOPS = 10;

export interface PersonAnswer {
  id: string;
  version: number;
  status: 'active';
  /** The id asked for when it is an alias of this master. */
  resolvedFrom?: string;
  person: NonNullable<PersonState['golden']>;
  provenance: PersonState['provenance'];
  sourceRecords: PersonState['sourceRecords'];
  aliases: string[];
  modelVersion: string | null;
}

/** Reading masters: by id (an alias answers with its survivor) and by search. */
export class PersonsService {
  constructor(private readonly persons: PersonRepository, private readonly cache: PersonCache) {}

  private async load(id: string): Promise<PersonState | undefined> {
    const cached = await this.cache.get(id);
    if (cached) return cached;
    const stored = await this.persons.find(id);
    if (stored) await this.cache.fill(stored);
    return stored;
  }

  async get(id: string): Promise<PersonAnswer> {
    let state = await this.load(id);
    for (let hops = 0; state?.status === 'alias' && state.survivorId && hops < MAX_ALIAS_HOPS; hops++) state = await this.load(state.survivorId);
    if (!state || state.status === 'alias') throw new PortalError('PORTAL.PERSON_NOT_FOUND', 'no master person with this id', 404);
    if (state.status === 'retired' || !state.golden) throw new PortalError('PORTAL.PERSON_RETIRED', 'this master person no longer has any source records', 410);
    return {
      id: state.id, version: state.version, status: 'active', ...(state.id !== id ? { resolvedFrom: id } : {}),
      person: state.golden, provenance: state.provenance, sourceRecords: state.sourceRecords, aliases: state.aliases, modelVersion: state.modelVersion,
    };
  }

  async search(query: SearchQuery) {
    const { total, items } = await this.persons.search(query);
    return {
      total, limit: query.limit, offset: query.offset,
      items: items.map((hit) => ({
        id: hit.id, version: hit.version, score: hit.score,
        name: hit.golden?.name ?? null, dateOfBirth: hit.golden?.dateOfBirth ?? null,
        postcodes: [...new Set((hit.golden?.addresses ?? []).map((a) => a.postcode).filter(Boolean))],
        identifiers: hit.golden?.identifiers ?? [], sourceRecords: hit.sourceRecords.length, aliases: hit.aliases,
        href: `/v1/persons/${encodeURIComponent(hit.id)}`,
      })),
    };
  }
}
