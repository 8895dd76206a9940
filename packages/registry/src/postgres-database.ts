import pg from 'pg';
import { pgClientSession } from '@agent-identity/sql-migrations';
import type { SqlDatabase, SqlSession } from './sql-database.js';

/** The first key of every advisory lock the registry takes, so its locks never meet another program's. */
const LOCK_NAMESPACE = '@agent-identity/registry';

/** How long the listening connection waits before it connects again after losing the server. */
const RELISTEN_DELAY_MS = 250;

/** A PostgreSQL server through `pg`: a pool for queries, one more connection for `LISTEN`. */
export class PostgresDatabase implements SqlDatabase {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;
  readonly #config: pg.ClientConfig;
  readonly #ownsPool: boolean;

  /** `pool`: a caller's pool, left open by `close()`; else one of `poolSize` connections is made. */
  constructor(config: pg.ClientConfig, options: { pool?: pg.Pool; poolSize?: number } = {}) {
    this.#config = config;
    this.#ownsPool = options.pool === undefined;
    this.#pool = options.pool ?? new pg.Pool({ ...config, max: options.poolSize ?? 10 });
    // An idle connection the server drops must not crash the process: the next query reports it.
    if (this.#ownsPool) this.#pool.on('error', () => undefined);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.#pool.query(text, [...params])).rows as Row[];
  }

  async execute(script: string): Promise<void> {
    await this.#pool.query(script);
  }

  async exclusive<T>(name: string, work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [LOCK_NAMESPACE, name]);
      try {
        return await work(pgClientSession(client));
      } finally {
        await client
          .query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [LOCK_NAMESPACE, name])
          .catch((error: unknown) => {
            // Ending the session is what releases a lock that could not be unlocked.
            broken = error instanceof Error ? error : new Error(String(error));
          });
      }
    } finally {
      client.release(broken);
    }
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(pgClientSession(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onPayload: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>> {
    let stopped = false;
    let current: pg.Client | undefined;
    const connect = async (): Promise<void> => {
      const client = new pg.Client(this.#config);
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
      });
      // The 'end' that follows an error is what reconnects.
      client.on('error', () => undefined);
      client.once('end', () => {
        if (!stopped) relisten();
      });
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      current = client;
    };
    const relisten = (): void => {
      setTimeout(() => {
        if (stopped) return;
        connect().then(onGap, relisten);
      }, RELISTEN_DELAY_MS).unref();
    };
    await connect();
    return async () => {
      stopped = true;
      await current?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }
}
