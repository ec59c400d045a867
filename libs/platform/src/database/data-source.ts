import { Client } from 'pg';
import { DataSource, type MixedList } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  /** TypeORM migration classes; the schema is only ever changed by migrations, never synchronize. */
  migrations: MixedList<string | (new () => unknown)>;
  entities?: MixedList<string | (new () => unknown)>;
  poolSize?: number;
  applicationName?: string;
  /** The service's own schema; created if missing and first on the search path. */
  schema?: string;
  /**
   * Sends each statement the moment it is made, without waiting for the answers to those
   * before it on the same connection (pg's pipeline mode); PostgreSQL still runs them in order,
   * each with its own result or error. Cursors and streams cannot be used on such a connection.
   */
  pipeline?: boolean;
}

/** Creates the service's database if it does not exist (connecting to the server's `postgres` database). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name must be letters, digits and underscores`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        // created meanwhile by another process: 42P04, or 23505 when both inserts into pg_database race
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/** Opens the service's database and brings its schema up to date with its migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: options.migrations,
    entities: options.entities ?? [],
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName,
    schema: options.schema,
    extra: { connectionTimeoutMillis: 5000, ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}), ...(options.pipeline ? { pipeline: true } : {}) },
  });
  await dataSource.initialize();
  if (options.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error('schema name must be lower-case letters, digits and underscores');
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`).catch((error: { code?: string }) => {
      if (error.code !== '23505' && error.code !== '42P06') throw error; // created meanwhile by another process
    });
  }
  // Two processes of one service may start together: an advisory lock keeps migrations single-file.
  await dataSource.query('SELECT pg_advisory_lock(726354)');
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock(726354)');
  }
  return dataSource;
}
