/** Something that runs one SQL statement with `$n` parameters: a database, or one session of it. */
export interface SqlSession {
  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (a migration). */
  execute(script: string): Promise<void>;
}

/**
 * The little the registry needs of a PostgreSQL engine, so one schema and one set of queries serve
 * PGlite (in-process) and a PostgreSQL server (`pg`).
 */
export interface SqlDatabase extends SqlSession {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `work` on one session holding the session advisory lock `name`, so processes starting
   * together take turns (migrations). The lock dies with the session if the process does.
   */
  exclusive<T>(name: string, work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction: all of it or none. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Delivers every `NOTIFY` on `channel`, from any session, to `onPayload`. `onGap` is called
   * when notifications may have been missed (the listening connection was lost and is back).
   * Resolves once listening; the returned function stops.
   */
  listen(channel: string, onPayload: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
