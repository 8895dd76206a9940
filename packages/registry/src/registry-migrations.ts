import { applyMigrations, type Migration } from '@agent-identity/sql-migrations';
import type { SqlDatabase } from './sql-database.js';

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

/**
 * Brings the database to the newest schema (`applyMigrations`), on the session holding the
 * registry's migration lock: instances starting together take turns and the later ones find
 * nothing left to do. Resolves to the versions it applied.
 */
export function migrateRegistry(database: SqlDatabase): Promise<number[]> {
  return database.exclusive('registry-migrations', (session) =>
    applyMigrations(session, { table: 'agent_identity_registry_migrations', migrations: REGISTRY_MIGRATIONS }),
  );
}
