import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
// Brings in the type of the `postgres` value the global setup provides.
import type {} from './vitest-global-setup.js';

/** A database of its own on the test server, with a pool on it. */
export interface FreshDatabase {
  readonly name: string;
  readonly pool: pg.Pool;
  /** Connection settings for another process (the fleet's children). */
  readonly connection: pg.PoolConfig;
  /** The same as a `postgres://` URL, for what takes one (a backend's `--database-url`). */
  readonly url: string;
  /** Ends the pool and drops the database (and any connection left on it). */
  readonly drop: () => Promise<void>;
}

function serverConfig(database: string): pg.PoolConfig {
  const { port, user, password } = inject('postgres');
  return { host: '127.0.0.1', port, user, password, database };
}

async function onAdminConnection(sql: string): Promise<void> {
  const client = new pg.Client(serverConfig('postgres'));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createFreshDatabase(poolSize = 10): Promise<FreshDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await onAdminConnection(`CREATE DATABASE ${name} STRATEGY FILE_COPY`);
  const connection = serverConfig(name);
  const { port, user, password } = inject('postgres');
  const pool = new pg.Pool({ ...connection, max: poolSize });
  return {
    name,
    pool,
    connection,
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`,
    drop: async () => {
      await pool.end();
      await onAdminConnection(`DROP DATABASE ${name} WITH (FORCE)`);
    },
  };
}
