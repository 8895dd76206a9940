import { createHash } from 'node:crypto';
import type { TaskStatus } from '@agent-identity/verifier';
import type { AgentRecord, BiscuitGrant, RegistryChange, TaskRecord } from './records.js';
import { RegistryError } from './registry-error.js';
import { migrateRegistry } from './registry-migrations.js';
import { parseRegistryChange, REGISTRY_CHANNEL } from './registry-change-channel.js';
import type { RegistryStore } from './registry-store.js';
import { RegistrySubscribers } from './registry-subscribers.js';
import type { SqlDatabase } from './sql-database.js';

/** SQLSTATE `unique_violation`. */
const UNIQUE_VIOLATION = '23505';

interface AgentRow {
  agent_runtime_id: string;
  public_key: string;
  account_id: string;
  user_id: string;
  abom: Record<string, unknown>;
  capabilities: string[];
  created_at: Date;
  revoked_at: Date | null;
}

interface TaskRow {
  task_id: string;
  agent_runtime_id: string;
  created_at: Date;
  revoked_at: Date | null;
}

interface BiscuitRow {
  method: string;
  url: string;
  account_id: string;
  user_id: string;
  expires_at_ms: string | number | bigint;
}

const AGENT_COLUMNS = 'agent_runtime_id, public_key, account_id, user_id, abom, capabilities, created_at, revoked_at';
const TASK_COLUMNS = 'task_id, agent_runtime_id, created_at, revoked_at';

/**
 * Marks the row of `keyColumn = $1` revoked at `$2` (a second revocation keeps the first time) and,
 * in the same statement, tells every instance on channel `$3` with `notice`'s JSON: the revocation
 * and its notice commit together or not at all. Returns the row's `columns`.
 */
function revocationStatement(table: string, keyColumn: string, columns: string, notice: string): string {
  return `WITH revoked AS (
      UPDATE ${table} SET revoked_at = COALESCE(revoked_at, $2) WHERE ${keyColumn} = $1 RETURNING ${columns}
    )
    SELECT revoked.*, pg_notify($3, ${notice}::text) FROM revoked`;
}

const AGENT_REVOCATION = revocationStatement(
  'agent_identity_registry_agents',
  'agent_runtime_id',
  AGENT_COLUMNS,
  "json_build_object('kind', 'agent_revoked', 'agentRuntimeId', agent_runtime_id)",
);
const TASK_REVOCATION = revocationStatement(
  'agent_identity_registry_tasks',
  'task_id',
  TASK_COLUMNS,
  "json_build_object('kind', 'task_revoked', 'agentRuntimeId', agent_runtime_id, 'taskId', task_id)",
);

function agentOf(row: AgentRow): AgentRecord {
  return {
    agentRuntimeId: row.agent_runtime_id,
    publicKey: row.public_key,
    accountId: row.account_id,
    userId: row.user_id,
    abom: row.abom,
    capabilities: row.capabilities,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

function taskOf(row: TaskRow): TaskRecord {
  return {
    taskId: row.task_id,
    agentRuntimeId: row.agent_runtime_id,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** The stored key of a biscuit: its SHA-256, so the table holds nothing a client could present. */
function biscuitKey(biscuit: string): string {
  return createHash('sha256').update(biscuit).digest('hex');
}

/**
 * The {@link RegistryStore} on PostgreSQL — a server through `pg` or PGlite in this process, the
 * same schema and the same statements. Each write is one statement (atomic on its own); a
 * revocation and its `NOTIFY` commit together, so every instance listening hears of it.
 */
export class SqlRegistryStore implements RegistryStore {
  readonly #database: SqlDatabase;
  readonly #subscribers = new RegistrySubscribers();
  #unlisten: (() => Promise<void>) | undefined;

  private constructor(database: SqlDatabase) {
    this.#database = database;
  }

  get kind(): 'pglite' | 'postgres' {
    return this.#database.kind;
  }

  /** Applies the migrations, listens for other instances' changes, and hands back the store. */
  static async open(database: SqlDatabase): Promise<SqlRegistryStore> {
    const store = new SqlRegistryStore(database);
    await call('migration', () => migrateRegistry(database));
    store.#unlisten = await call('listen', () =>
      database.listen(
        REGISTRY_CHANNEL,
        (payload) => {
          const change = parseRegistryChange(payload);
          if (change !== undefined) store.#subscribers.publish(change);
        },
        () => {
          store.#subscribers.publish({ kind: 'reset' });
        },
      ),
    );
    return store;
  }

  async addAgent(agent: AgentRecord): Promise<void> {
    await call('agent insert', () =>
      this.#database.query(
        `INSERT INTO agent_identity_registry_agents (${AGENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          agent.agentRuntimeId,
          agent.publicKey,
          agent.accountId,
          agent.userId,
          JSON.stringify(agent.abom),
          JSON.stringify(agent.capabilities),
          agent.createdAt,
          agent.revokedAt,
        ],
      ),
    );
  }

  async addTask(task: TaskRecord): Promise<void> {
    await call('task insert', () =>
      this.#database.query(`INSERT INTO agent_identity_registry_tasks (${TASK_COLUMNS}) VALUES ($1, $2, $3, $4)`, [
        task.taskId,
        task.agentRuntimeId,
        task.createdAt,
        task.revokedAt,
      ]),
    );
  }

  async agent(agentRuntimeId: string): Promise<AgentRecord | undefined> {
    const rows = await call('agent lookup', () =>
      this.#database.query<AgentRow>(
        `SELECT ${AGENT_COLUMNS} FROM agent_identity_registry_agents WHERE agent_runtime_id = $1`,
        [agentRuntimeId],
      ),
    );
    return rows[0] === undefined ? undefined : agentOf(rows[0]);
  }

  async agents(): Promise<AgentRecord[]> {
    const rows = await call('agent listing', () =>
      this.#database.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agent_identity_registry_agents ORDER BY position`),
    );
    return rows.map(agentOf);
  }

  async tasks(): Promise<TaskRecord[]> {
    const rows = await call('task listing', () =>
      this.#database.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM agent_identity_registry_tasks ORDER BY position`),
    );
    return rows.map(taskOf);
  }

  async activePublicKey(agentRuntimeId: string): Promise<string | undefined> {
    const rows = await call('key lookup', () =>
      this.#database.query<{ public_key: string }>(
        'SELECT public_key FROM agent_identity_registry_agents WHERE agent_runtime_id = $1 AND revoked_at IS NULL',
        [agentRuntimeId],
      ),
    );
    return rows[0]?.public_key;
  }

  async taskStatus(agentRuntimeId: string, taskId: string): Promise<TaskStatus> {
    const rows = await call('task lookup', () =>
      this.#database.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM agent_identity_registry_tasks WHERE task_id = $1 AND agent_runtime_id = $2',
        [taskId, agentRuntimeId],
      ),
    );
    if (rows[0] === undefined) return 'unknown';
    return rows[0].revoked ? 'revoked' : 'active';
  }

  async revokeAgent(agentRuntimeId: string, at: string): Promise<AgentRecord | undefined> {
    const row = await this.#revoke<AgentRow>('agent revocation', AGENT_REVOCATION, agentRuntimeId, at);
    return row === undefined ? undefined : agentOf(row);
  }

  async revokeTask(taskId: string, at: string): Promise<TaskRecord | undefined> {
    const row = await this.#revoke<TaskRow>('task revocation', TASK_REVOCATION, taskId, at);
    return row === undefined ? undefined : taskOf(row);
  }

  /** Runs one revocation statement (see {@link revocationStatement}): the row as revoked, if there is one. */
  async #revoke<Row>(operation: string, statement: string, key: string, at: string): Promise<Row | undefined> {
    const rows = await call(operation, () => this.#database.query<Row>(statement, [key, at, REGISTRY_CHANNEL]));
    return rows[0];
  }

  async saveBiscuit(biscuit: string, grant: BiscuitGrant, nowMs: number): Promise<void> {
    // Expired grants go in the same statement, so the table holds only what could still be redeemed.
    await call('biscuit insert', () =>
      this.#database.query(
        `WITH expired AS (DELETE FROM agent_identity_registry_biscuits WHERE expires_at_ms <= $7)
         INSERT INTO agent_identity_registry_biscuits (biscuit_sha256, method, url, account_id, user_id, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [biscuitKey(biscuit), grant.method, grant.url, grant.accountId, grant.userId, grant.expiresAtMs, nowMs],
      ),
    );
  }

  async takeBiscuit(biscuit: string): Promise<BiscuitGrant | undefined> {
    // One DELETE … RETURNING: of concurrent callers on any instance, exactly one gets the row.
    const rows = await call('biscuit redemption', () =>
      this.#database.query<BiscuitRow>(
        `DELETE FROM agent_identity_registry_biscuits WHERE biscuit_sha256 = $1
         RETURNING method, url, account_id, user_id, expires_at_ms`,
        [biscuitKey(biscuit)],
      ),
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      method: row.method,
      url: row.url,
      accountId: row.account_id,
      userId: row.user_id,
      expiresAtMs: Number(row.expires_at_ms),
    };
  }

  async clear(): Promise<void> {
    await call('clear', () =>
      this.#database.transaction(async (session) => {
        await session.query(
          'TRUNCATE agent_identity_registry_tasks, agent_identity_registry_agents, agent_identity_registry_biscuits',
        );
        await session.query("SELECT pg_notify($1, json_build_object('kind', 'reset')::text)", [REGISTRY_CHANNEL]);
      }),
    );
  }

  subscribe(listener: (change: RegistryChange) => void): () => void {
    return this.#subscribers.add(listener);
  }

  async close(): Promise<void> {
    await this.#unlisten?.();
    await this.#database.close();
  }
}

/**
 * Runs a database call, turning its failure into a `RegistryError`: a repeated id is
 * `REGISTRY_DUPLICATE_ID`, anything else `REGISTRY_UNAVAILABLE` (retryable). The message names the
 * operation and the SQLSTATE, never a parameter.
 */
async function call<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const sqlState = (error as { code?: unknown }).code;
    if (sqlState === UNIQUE_VIOLATION) {
      throw new RegistryError('REGISTRY_DUPLICATE_ID', `${operation}: the id is already registered`, { cause: error });
    }
    const reason =
      typeof sqlState === 'string' ? `SQLSTATE ${sqlState}` : error instanceof Error ? error.name : 'unknown';
    throw new RegistryError('REGISTRY_UNAVAILABLE', `PostgreSQL ${operation} failed (${reason})`, {
      cause: error,
      isRetryable: true,
    });
  }
}
