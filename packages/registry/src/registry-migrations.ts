import type { SqlDatabase, SqlSession } from './sql-database.js';

/** One step of the schema, applied once per database in version order. Never edit a shipped one. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The registry's schema, oldest first: PGlite and PostgreSQL run the same text. */
export const REGISTRY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'agents, tasks and outstanding biscuits',
    sql: `
      -- position keeps registration order for the admin listings.
      CREATE TABLE agent_identity_registry_agents (
        agent_runtime_id text PRIMARY KEY,
        position bigint GENERATED ALWAYS AS IDENTITY,
        public_key text NOT NULL,
        account_id text NOT NULL,
        user_id text NOT NULL,
        abom json NOT NULL,
        capabilities json NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE TABLE agent_identity_registry_tasks (
        task_id text PRIMARY KEY,
        position bigint GENERATED ALWAYS AS IDENTITY,
        agent_runtime_id text NOT NULL REFERENCES agent_identity_registry_agents ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      -- A biscuit is kept as its SHA-256 only: a database dump holds nothing a client could present.
      CREATE TABLE agent_identity_registry_biscuits (
        biscuit_sha256 text PRIMARY KEY,
        method text NOT NULL,
        url text NOT NULL,
        account_id text NOT NULL,
        user_id text NOT NULL,
        expires_at_ms bigint NOT NULL
      );
      CREATE INDEX agent_identity_registry_biscuits_expiry ON agent_identity_registry_biscuits (expires_at_ms);
    `,
  },
];

const MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS agent_identity_registry_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Brings the database to the newest schema: every migration not applied yet, in order, each in its
 * own transaction with its version row. Idempotent, and safe when instances start together: they
 * take turns on an advisory lock and the later ones find nothing left to do. Resolves to the
 * versions it applied.
 */
export function migrateRegistry(database: SqlDatabase): Promise<number[]> {
  return database.exclusive('registry-migrations', async (session) => {
    await session.query(MIGRATIONS_TABLE);
    const rows = await session.query<{ version: number }>('SELECT version FROM agent_identity_registry_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const pending = REGISTRY_MIGRATIONS.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) await apply(session, migration);
    return pending.map((migration) => migration.version);
  });
}

async function apply(session: SqlSession, migration: Migration): Promise<void> {
  await session.query('BEGIN');
  try {
    await session.execute(migration.sql);
    await session.query('INSERT INTO agent_identity_registry_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK');
    throw error;
  }
}
