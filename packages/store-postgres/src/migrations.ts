import type { Pool, PoolClient } from 'pg';
import type { CoreErrorCode } from '@agent-identity/core';
import { withAdvisoryLock } from './advisory-lock.js';
import { databaseCall } from './database-error.js';

/** One step of the schema, applied once per database in version order. Never edit a shipped one. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

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

const MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS agent_identity_schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** How long a process waits for another one's migrations before `LOCK_TIMEOUT`. */
const MIGRATION_LOCK_TIMEOUT_MS = 120_000;

/**
 * Brings the database to the newest schema: every migration not applied yet, in order, each in its
 * own transaction with its version row. Idempotent, and safe when processes start together: they
 * take turns on an advisory lock, and the later ones find nothing left to do. Resolves to the
 * versions it applied. The stores' `open` runs it; a database failure is a `CoreError` of `errorCode`.
 */
export function migrate(pool: Pool, errorCode: CoreErrorCode = 'ROLLOUT_IO'): Promise<number[]> {
  const lock = { name: 'migrations', timeoutMs: MIGRATION_LOCK_TIMEOUT_MS, errorCode };
  return databaseCall(errorCode, 'migration', () =>
    withAdvisoryLock(pool, lock, async (client) => {
      await client.query(MIGRATIONS_TABLE);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM agent_identity_schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      const pending = MIGRATIONS.filter((migration) => !applied.has(migration.version));
      for (const migration of pending) await apply(client, migration);
      return pending.map((migration) => migration.version);
    }),
  );
}

async function apply(client: PoolClient, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO agent_identity_schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
