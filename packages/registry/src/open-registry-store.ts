import { mkdir } from 'node:fs/promises';
import { MemoryRegistryStore } from './memory-registry-store.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { RegistryError } from './registry-error.js';
import type { RegistryStore } from './registry-store.js';
import type { SqlDatabase } from './sql-database.js';
import { SqlRegistryStore } from './sql-registry-store.js';

/** Where the registry lives: at most one of the two; neither is memory. */
export interface RegistryLocation {
  /** A PostgreSQL server, `postgres://user:password@host:port/database`. */
  databaseUrl?: string | undefined;
  /** A folder for PGlite's data (made if missing): the embedded default. */
  dataDir?: string | undefined;
  /** Connections to a PostgreSQL server at most (besides the one that listens). Default 10. */
  poolSize?: number | undefined;
}

/**
 * Opens the registry: PostgreSQL with `databaseUrl`, PGlite with `dataDir`, else memory. Migrations
 * are applied before it resolves. `REGISTRY_OPTIONS_INVALID` for both; `REGISTRY_UNAVAILABLE` when
 * the database cannot be opened (the message never holds the URL: it may carry a password).
 */
export async function openRegistryStore(location: RegistryLocation = {}): Promise<RegistryStore> {
  const { databaseUrl, dataDir } = location;
  if (databaseUrl !== undefined && dataDir !== undefined) {
    throw new RegistryError('REGISTRY_OPTIONS_INVALID', 'give a database URL or a data folder, not both');
  }
  if (databaseUrl === undefined && dataDir === undefined) return new MemoryRegistryStore();
  let database: SqlDatabase;
  try {
    if (databaseUrl !== undefined) {
      database = new PostgresDatabase({ connectionString: databaseUrl }, { poolSize: location.poolSize ?? 10 });
    } else {
      await mkdir(dataDir as string, { recursive: true });
      database = await PgliteDatabase.open(dataDir as string);
    }
  } catch (error) {
    throw new RegistryError('REGISTRY_UNAVAILABLE', 'cannot open the registry database', { cause: error });
  }
  try {
    return await SqlRegistryStore.open(database);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
