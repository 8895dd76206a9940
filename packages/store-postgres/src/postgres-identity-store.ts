import type { Pool } from 'pg';
import {
  toUnionAgentIdentityRecord,
  type AgentIdentityRecord,
  type StoredAgentIdentityRecord,
} from '@agent-identity/protocol';
import { CoreError, ReentrantLock, SerialQueue, type IdentityStore } from '@agent-identity/core';
import { withAdvisoryLock } from './advisory-lock.js';
import { databaseCall } from './database-error.js';
import { migrate } from './migrations.js';
import { checkedPool, checkedSlot, checkedTimeoutMs } from './store-options.js';

export interface PostgresIdentityStoreOptions {
  /** The host's pool (`new pg.Pool(…)`); the store never ends it. It needs two connections. */
  readonly pool: Pool;
  /**
   * Which identity slot: one per auth file a single host would have (e.g. one per user the fleet
   * serves). Default `default`.
   */
  readonly slot?: string;
  /** How long `withExclusiveLock` waits for another process before `LOCK_TIMEOUT`. Default 120 s. */
  readonly lockTimeoutMs?: number;
}

/**
 * The `agent_identity` slot (SPEC §2.2) in PostgreSQL, shared by every process of a fleet. The
 * record is stored as its whole JSON document, so fields this version does not know survive (the
 * store knows none of them: the union of the Codex field sets is protocol's rule).
 * `withExclusiveLock` is fleet-wide: a session-level advisory lock, released by PostgreSQL when
 * its holder dies, so N processes starting together register one identity (SPEC §4.1).
 */
export class PostgresIdentityStore implements IdentityStore {
  readonly #pool: Pool;
  readonly #slot: string;
  readonly #lock: ReentrantLock;

  /** Use {@link PostgresIdentityStore.open}, which applies the migrations first. */
  private constructor(options: PostgresIdentityStoreOptions) {
    this.#pool = checkedPool(options.pool);
    this.#slot = checkedSlot(options.slot);
    const lock = {
      name: `identity:${this.#slot}`,
      timeoutMs: checkedTimeoutMs('lockTimeoutMs', options.lockTimeoutMs, 120_000),
      errorCode: 'AUTH_FILE_IO' as const,
    };
    // One section per process at a time (the queue), then one per fleet (the advisory lock).
    const queue = new SerialQueue();
    this.#lock = new ReentrantLock((section) => queue.run(() => withAdvisoryLock(this.#pool, lock, () => section())));
  }

  /**
   * Applies the schema migrations (idempotent) and returns the store. Rejects with `CoreError`
   * `OPTIONS_INVALID` before any query for a missing pool, an empty slot or a bad lock timeout.
   */
  static async open(options: PostgresIdentityStoreOptions): Promise<PostgresIdentityStore> {
    const store = new PostgresIdentityStore(options);
    await migrate(options.pool, 'AUTH_FILE_IO');
    return store;
  }

  load(): Promise<AgentIdentityRecord | undefined> {
    return databaseCall('AUTH_FILE_IO', 'identity load', async () => {
      const { rows } = await this.#pool.query<{ record: string }>(
        'SELECT record::text AS record FROM agent_identity_slots WHERE slot = $1',
        [this.#slot],
      );
      const text = rows[0]?.record;
      return text === undefined ? undefined : parseRecord(text);
    });
  }

  /** Stores the record as the union of both Codex field sets (what every Codex reads), whole. */
  save(record: StoredAgentIdentityRecord): Promise<void> {
    return databaseCall('AUTH_FILE_IO', 'identity save', async () => {
      await this.#pool.query(
        `INSERT INTO agent_identity_slots (slot, record) VALUES ($1, $2::json)
         ON CONFLICT (slot) DO UPDATE SET record = EXCLUDED.record, updated_at = now()`,
        [this.#slot, JSON.stringify(toUnionAgentIdentityRecord(record))],
      );
    });
  }

  /** Compare-and-delete in one statement: the same runtime id and key (as core's own stores). */
  delete(expected: StoredAgentIdentityRecord): Promise<boolean> {
    return databaseCall('AUTH_FILE_IO', 'identity delete', async () => {
      const { rowCount } = await this.#pool.query(
        `DELETE FROM agent_identity_slots
         WHERE slot = $1 AND record->>'agent_runtime_id' = $2 AND record->>'agent_private_key' = $3`,
        [this.#slot, expected.agent_runtime_id, expected.agent_private_key],
      );
      return rowCount === 1;
    });
  }

  withExclusiveLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(fn);
  }
}

function parseRecord(text: string): AgentIdentityRecord {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CoreError('AUTH_FILE_CORRUPT', 'the PostgreSQL identity slot does not hold a JSON object');
  }
  return value as AgentIdentityRecord;
}
