import type { Pool } from 'pg';
import type { CoreErrorCode } from '@agent-identity/core';
import { applyMigrations, pgClientSession, type Migration } from '@agent-identity/sql-migrations';
import { withAdvisoryLock } from './advisory-lock.js';
import { databaseCall } from './database-error.js';

/** The schema, oldest first. A new version is appended, never inserted or changed. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'identity slots, threads and their rollout lines',
    sql: `
      -- The agent_identity slot (SPEC §2.2), one row per slot: the record as the whole JSON
      -- document, kept as written (json, not jsonb: key order and unknown keys survive).
      CREATE TABLE agent_identity_slots (
        slot text PRIMARY KEY,
        record json NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- One row per thread; line_count is the sequence of its lines, taken under the row lock.
      CREATE TABLE agent_identity_threads (
        thread_id text PRIMARY KEY,
        line_count bigint NOT NULL,
        rollout_path text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- The threads' logs (SPEC §2.1), each line's JSON text as written.
      CREATE TABLE agent_identity_rollout_lines (
        thread_id text NOT NULL REFERENCES agent_identity_threads ON DELETE CASCADE,
        seq bigint NOT NULL,
        line text NOT NULL,
        is_session_state boolean NOT NULL,
        PRIMARY KEY (thread_id, seq)
      );
      -- The newest session_state line of a thread is the first entry of this index (SPEC §4.5 step 1).
      CREATE INDEX agent_identity_rollout_session_states
        ON agent_identity_rollout_lines (thread_id, seq DESC) WHERE is_session_state;
    `,
  },
];

/** How long a process waits for another one's migrations before `LOCK_TIMEOUT`. */
const MIGRATION_LOCK_TIMEOUT_MS = 120_000;

/**
 * Brings the database to the newest schema (`applyMigrations`), on a connection holding the
 * migration advisory lock: processes starting together take turns, and the later ones find nothing
 * left to do. Resolves to the versions it applied. The stores' `open` runs it; a database failure
 * is a `CoreError` of `errorCode`.
 */
export function migrate(pool: Pool, errorCode: CoreErrorCode = 'ROLLOUT_IO'): Promise<number[]> {
  const lock = { name: 'migrations', timeoutMs: MIGRATION_LOCK_TIMEOUT_MS, errorCode };
  return databaseCall(errorCode, 'migration', () =>
    withAdvisoryLock(pool, lock, (client) =>
      applyMigrations(pgClientSession(client), { table: 'agent_identity_schema_migrations', migrations: MIGRATIONS }),
    ),
  );
}
