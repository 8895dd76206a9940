/** One step of a schema, applied once per database in version order. Never edit a shipped one. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** A script of one or more statements, without parameters. */
  readonly sql: string;
}

/** What the runner needs of a database connection: `pg`'s client and PGlite both fit in a few lines. */
export interface MigrationSession {
  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (a migration's `sql`). */
  execute(script: string): Promise<void>;
}

/** A package's schema: its migrations, and the table that records which of them a database has. */
export interface MigrationPlan {
  /**
   * The versions table, created when missing. An SQL identifier written into the statements as
   * is: a constant of the package, never user input.
   */
  readonly table: string;
  readonly migrations: readonly Migration[];
}

/**
 * Brings the database behind `session` to the newest schema of `plan`: every migration it has not
 * applied yet, in version order, each in its own transaction together with its version row, so a
 * failing one leaves the versions before it and nothing of itself. Idempotent. The caller holds
 * whatever makes `session` the only migrator (an advisory lock on PostgreSQL; PGlite's single
 * session already is), so processes starting together take turns and the later ones find nothing
 * left to do. Resolves to the versions it applied.
 */
export async function applyMigrations(session: MigrationSession, plan: MigrationPlan): Promise<number[]> {
  const { table } = plan;
  await session.query(`
    CREATE TABLE IF NOT EXISTS ${table} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const rows = await session.query<{ version: number }>(`SELECT version FROM ${table}`);
  const applied = new Set(rows.map((row) => row.version));
  const pending = plan.migrations
    .filter((migration) => !applied.has(migration.version))
    .sort((a, b) => a.version - b.version);
  for (const migration of pending) await apply(session, table, migration);
  return pending.map((migration) => migration.version);
}

async function apply(session: MigrationSession, table: string, migration: Migration): Promise<void> {
  await session.query('BEGIN');
  try {
    await session.execute(migration.sql);
    await session.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK');
    throw error;
  }
}
