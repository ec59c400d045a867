import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/** A read-only session on a partner's PostgreSQL or MariaDB/MySQL database. */
export interface PartnerDatabase {
  rows(sql: string, watermark?: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** `:watermark` becomes the driver's own placeholder; the value is always a bound parameter, never spliced in. */
export async function openPartnerDatabase(driver: 'postgres' | 'mysql', url: string): Promise<PartnerDatabase> {
  if (driver === 'postgres') {
    const client = new Client({ connectionString: url, application_name: 'hub-ingest-pull', connectionTimeoutMillis: 5000 });
    await client.connect();
    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    return {
      rows: async (sql, watermark) => (await client.query(sql.replace(/:watermark/g, '$1'), watermark === undefined ? [] : [watermark])).rows,
      close: () => client.end(),
    };
  }
  const connection = await createConnection({ uri: url, connectTimeout: 5000, dateStrings: true });
  return {
    rows: async (sql, watermark) => {
      const count = (sql.match(/:watermark/g) ?? []).length;
      const [rows] = await connection.query(sql.replace(/:watermark/g, '?'), Array(count).fill(watermark));
      return rows as Record<string, unknown>[];
    },
    close: () => connection.end(),
  };
}
