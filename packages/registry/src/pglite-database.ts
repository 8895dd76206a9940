import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlSession } from './sql-database.js';

function sessionOf(db: PGlite | Transaction): SqlSession {
  return {
    query: async <Row>(text: string, params: readonly unknown[] = []) => (await db.query<Row>(text, [...params])).rows,
    execute: async (script) => {
      await db.exec(script);
    },
  };
}

/**
 * PGlite: PostgreSQL compiled to WASM, in this process, its data in a folder. One process owns the
 * folder; its single session runs one statement at a time, so `exclusive` needs no lock.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly kind = 'pglite';
  readonly #db: PGlite;

  private constructor(db: PGlite) {
    this.#db = db;
  }

  /** Opens (or creates) the database in `dataDir`. */
  static async open(dataDir: string): Promise<PgliteDatabase> {
    return new PgliteDatabase(await PGlite.create(dataDir));
  }

  query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return sessionOf(this.#db).query<Row>(text, params);
  }

  execute(script: string): Promise<void> {
    return sessionOf(this.#db).execute(script);
  }

  exclusive<T>(_name: string, work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(sessionOf(this.#db));
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => work(sessionOf(tx)));
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    // In-process: no connection to lose, so never a gap.
    return this.#db.listen(channel, onPayload);
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
