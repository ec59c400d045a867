import type { DataSource, EntityManager } from 'typeorm';
import type { PersonState } from './domain/read-model';
import { buildSearch, type SearchQuery } from './domain/search-query';
import { searchColumnsOf } from './domain/search-terms';

interface PersonRow {
  id: string;
  version: number;
  status: PersonState['status'];
  survivor_id: string | null;
  golden: PersonState['golden'];
  provenance: PersonState['provenance'];
  source_records: PersonState['sourceRecords'];
  aliases: string[];
  model_version: string | null;
}

const COLUMNS = 'id, version, status, survivor_id, golden, provenance, source_records, aliases, model_version';

function stateOf(row: PersonRow): PersonState {
  return {
    id: row.id, version: row.version, status: row.status, survivorId: row.survivor_id, golden: row.golden, provenance: row.provenance,
    sourceRecords: row.source_records, aliases: row.aliases, modelVersion: row.model_version,
  };
}

export interface SearchHit {
  id: string;
  version: number;
  golden: PersonState['golden'];
  sourceRecords: PersonState['sourceRecords'];
  aliases: string[];
  score: number;
}

/** The masters with these ids ($1), locked in id order; after `probeByKey`. */
export const LOCK_PERSONS_SQL = `SELECT ${COLUMNS} FROM person WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`;

/** Removes the masters with these ids ($1); after `probeByKey`. */
export const ERASE_PERSONS_SQL = `DELETE FROM person WHERE id = ANY($1::text[])`;

/**
 * For the rest of the transaction, a batch's ids find their rows through the primary key.
 * PostgreSQL's own plan for `id = ANY(<a few thousand ids>)` on a table whose statistics lag
 * its growth (the read model grows by every master created) was a scan of the whole table,
 * 70 ms for 2,000 ids among 300,000 rows and more as it grows; ingest's lookups had the same
 * trap (docs/benchmarks.md, "Lookups that probe the primary key").
 */
export async function probeByKey(manager: EntityManager): Promise<void> {
  await manager.query(`SET LOCAL enable_seqscan = off`);
}

/** The `person` read model: written by the master-person consumer, read by the API. */
export class PersonRepository {
  constructor(private readonly dataSource: DataSource, private readonly nameSimilarity: number) {}

  /** The masters with these ids, locked for the caller's transaction (in id order, so two writers cannot deadlock). */
  async lock(manager: EntityManager, ids: readonly string[]): Promise<Map<string, PersonState>> {
    if (ids.length === 0) return new Map();
    await probeByKey(manager);
    const rows: PersonRow[] = await manager.query(LOCK_PERSONS_SQL, [[...new Set(ids)]]);
    return new Map(rows.map((row) => [row.id, stateOf(row)]));
  }

  async save(manager: EntityManager, changed: ReadonlyMap<string, PersonState | null>): Promise<void> {
    const erased = [...changed].filter(([, state]) => state === null).map(([id]) => id);
    if (erased.length) {
      await probeByKey(manager);
      await manager.query(ERASE_PERSONS_SQL, [erased]);
    }
    for (const state of changed.values()) {
      if (!state) continue;
      const search = searchColumnsOf(state.status === 'active' ? state.golden : null);
      await manager.query(
        `INSERT INTO person (id, version, status, survivor_id, golden, provenance, source_records, aliases, model_version, search_names, search_name_text, dob, postcodes, identifiers, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status, survivor_id = EXCLUDED.survivor_id, golden = EXCLUDED.golden,
           provenance = EXCLUDED.provenance, source_records = EXCLUDED.source_records, aliases = EXCLUDED.aliases, model_version = EXCLUDED.model_version,
           search_names = EXCLUDED.search_names, search_name_text = EXCLUDED.search_name_text, dob = EXCLUDED.dob, postcodes = EXCLUDED.postcodes,
           identifiers = EXCLUDED.identifiers, updated_at = now()`,
        [
          state.id, state.version, state.status, state.survivorId, state.golden ? JSON.stringify(state.golden) : null, JSON.stringify(state.provenance),
          JSON.stringify(state.sourceRecords), JSON.stringify(state.aliases), state.modelVersion, search.names, search.nameText, search.dob, search.postcodes, search.identifiers,
        ],
      );
    }
  }

  async find(id: string): Promise<PersonState | undefined> {
    const rows: PersonRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM person WHERE id = $1`, [id]);
    return rows[0] ? stateOf(rows[0]) : undefined;
  }

  async search(query: SearchQuery): Promise<{ total: number; items: SearchHit[] }> {
    const { sql, params } = buildSearch(query);
    const rows: { id: string; version: number; golden: PersonState['golden']; source_records: PersonState['sourceRecords']; aliases: string[]; score: number; total: string }[] =
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(this.nameSimilarity)]);
        return manager.query(sql, params);
      });
    return {
      total: rows.length ? Number(rows[0]!.total) : 0,
      items: rows.map((r) => ({ id: r.id, version: r.version, golden: r.golden, sourceRecords: r.source_records, aliases: r.aliases, score: Math.round(Number(r.score) * 1000) / 1000 })),
    };
  }
}
