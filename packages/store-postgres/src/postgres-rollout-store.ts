import type { Pool, PoolClient } from 'pg';
import {
  encodeRolloutLine,
  decodeRolloutLine,
  isSessionStateLine,
  newestAgentTaskOfLines,
  tryDecodeRolloutLine,
  type RolloutLine,
} from '@agent-identity/protocol';
import {
  assertValidThreadId,
  KeyedSerialQueue,
  rolloutRelativePath,
  sessionMetaLine,
  threadExists,
  threadNotFound,
  type CreateThreadOptions,
  type NewestSessionState,
  type RolloutStore,
} from '@agent-identity/core';
import { databaseCall } from './database-error.js';
import { migrate } from './migrations.js';
import { checkedPool } from './store-options.js';

export interface PostgresRolloutStoreOptions {
  /** The host's pool (`new pg.Pool(…)`); the store never ends it. */
  readonly pool: Pool;
  /** Epoch milliseconds for `session_meta` timestamps. Default `Date.now`. */
  readonly now?: () => number;
}

/** A thread as stored: its id and the path of its rollout in a Codex home (for export). */
export interface PostgresThreadInfo {
  readonly threadId: string;
  /** `sessions/YYYY/MM/DD/rollout-…-<thread id>.jsonl`, as Codex would name the file. */
  readonly rolloutPath: string;
}

/**
 * The newest `session_state` line of a thread: the first entry of the partial index on
 * `(thread_id, seq DESC) WHERE is_session_state`, whatever the size of the log. The thread row is
 * read in the same statement, so an unknown thread is told apart from one without a task.
 */
export const NEWEST_SESSION_STATE_SQL = `
  SELECT newest.line
  FROM agent_identity_threads AS thread
  LEFT JOIN LATERAL (
    SELECT line FROM agent_identity_rollout_lines AS lines
    WHERE lines.thread_id = thread.thread_id AND lines.is_session_state
    ORDER BY lines.seq DESC
    LIMIT 1
  ) AS newest ON true
  WHERE thread.thread_id = $1`;

/**
 * One statement, so one transaction: the thread row's lock hands out the sequence numbers, and the
 * call's lines land together, in order, whole. No row when the thread is unknown.
 */
const APPEND_SQL = `
  WITH thread AS (
    UPDATE agent_identity_threads SET line_count = line_count + cardinality($2::text[])
    WHERE thread_id = $1
    RETURNING line_count - cardinality($2::text[]) AS base
  ), appended AS (
    INSERT INTO agent_identity_rollout_lines (thread_id, seq, line, is_session_state)
    SELECT $1, thread.base + added.position, added.line, added.is_session_state
    FROM thread, unnest($2::text[], $3::boolean[]) WITH ORDINALITY AS added(line, is_session_state, position)
  )
  SELECT base FROM thread`;

/** Lines per statement when importing or reading a log. */
const BATCH_LINES = 1_000;

/**
 * The threads' logs (SPEC §2.1) in PostgreSQL, shared by every process of a fleet: a thread
 * started on one host resumes on any other with its task (SPEC §4.5). Each line is kept as its
 * JSON text; finding the newest `session_state` is an index lookup, not a scan.
 */
export class PostgresRolloutStore implements RolloutStore {
  readonly #pool: Pool;
  readonly #now: () => number;
  /** Keeps each thread's appends in call order within this process. */
  readonly #appends = new KeyedSerialQueue();

  /** Use {@link PostgresRolloutStore.open}, which applies the migrations first. */
  private constructor(options: PostgresRolloutStoreOptions) {
    this.#pool = checkedPool(options.pool);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Applies the schema migrations (idempotent) and returns the store; `CoreError`
   * `OPTIONS_INVALID` before any query without a pool.
   */
  static async open(options: PostgresRolloutStoreOptions): Promise<PostgresRolloutStore> {
    const store = new PostgresRolloutStore(options);
    await migrate(options.pool, 'ROLLOUT_IO');
    return store;
  }

  async createThread(threadId: string, options: CreateThreadOptions = {}): Promise<void> {
    assertValidThreadId(threadId);
    if (options.forkedFrom !== undefined) assertValidThreadId(options.forkedFrom);
    const epochMs = this.#now();
    const meta = encodeRolloutLine(sessionMetaLine(threadId, epochMs, options));
    const rolloutPath = rolloutRelativePath(threadId, new Date(epochMs));
    await this.#transaction('thread creation', async (client) => {
      await insertThread(client, threadId, rolloutPath);
      await insertLines(client, threadId, 1, [meta], [false]);
      const inherited = options.forkedFrom === undefined ? 0 : await copyForFork(client, options.forkedFrom, threadId);
      await client.query('UPDATE agent_identity_threads SET line_count = $2 WHERE thread_id = $1', [
        threadId,
        1 + inherited,
      ]);
    });
  }

  async hasThread(threadId: string): Promise<boolean> {
    assertValidThreadId(threadId);
    return databaseCall('ROLLOUT_IO', 'thread lookup', async () => {
      const { rowCount } = await this.#pool.query('SELECT 1 FROM agent_identity_threads WHERE thread_id = $1', [
        threadId,
      ]);
      return rowCount === 1;
    });
  }

  async append(threadId: string, lines: readonly RolloutLine[]): Promise<void> {
    assertValidThreadId(threadId);
    const texts = lines.map((line) => encodeRolloutLine(line));
    const states = lines.map((line) => isSessionStateLine(line));
    await this.#appends.run(threadId, () =>
      databaseCall('ROLLOUT_IO', 'append', async () => {
        const { rowCount } = await this.#pool.query(APPEND_SQL, [threadId, texts, states]);
        if (rowCount !== 1) throw threadNotFound(threadId);
      }),
    );
  }

  async newestSessionState(threadId: string): Promise<NewestSessionState> {
    assertValidThreadId(threadId);
    const { rows } = await databaseCall('ROLLOUT_IO', 'session state lookup', () =>
      this.#pool.query<{ line: string | null }>(NEWEST_SESSION_STATE_SQL, [threadId]),
    );
    const row = rows[0];
    if (row === undefined) throw threadNotFound(threadId);
    if (row.line === null) return { found: false };
    return { found: true, agentTask: newestAgentTaskOfLines([decodeRolloutLine(row.line, 1)]) ?? null };
  }

  /** Every line of the thread's log, oldest first. `THREAD_NOT_FOUND` if unknown. */
  async lines(threadId: string): Promise<RolloutLine[]> {
    const lines: RolloutLine[] = [];
    for await (const text of this.lineTexts(threadId)) lines.push(decodeRolloutLine(text, lines.length + 1));
    return lines;
  }

  /**
   * Every line of the thread's log as its stored JSON text, oldest first, read a page at a time
   * (a log of any size streams in bounded memory). `THREAD_NOT_FOUND` if unknown.
   */
  async *lineTexts(threadId: string): AsyncGenerator<string> {
    assertValidThreadId(threadId);
    if (!(await this.hasThread(threadId))) throw threadNotFound(threadId);
    let after = 0;
    for (;;) {
      const { rows } = await databaseCall('ROLLOUT_IO', 'log read', () =>
        this.#pool.query<{ seq: string; line: string }>(
          `SELECT seq, line FROM agent_identity_rollout_lines
           WHERE thread_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
          [threadId, after, BATCH_LINES],
        ),
      );
      for (const row of rows) yield row.line;
      const last = rows.at(-1);
      if (last === undefined || rows.length < BATCH_LINES) return;
      after = Number(last.seq);
    }
  }

  /** Every thread, oldest first, with the path of its rollout in a Codex home. */
  async listThreads(): Promise<PostgresThreadInfo[]> {
    const { rows } = await databaseCall('ROLLOUT_IO', 'thread list', () =>
      this.#pool.query<PostgresThreadInfo>(
        `SELECT thread_id AS "threadId", rollout_path AS "rolloutPath"
         FROM agent_identity_threads ORDER BY created_at, thread_id`,
      ),
    );
    return rows;
  }

  /**
   * Stores a whole existing log (e.g. a Codex rollout file) as a thread, its lines' text kept
   * byte for byte; a line that is not JSON (a torn last line) is kept too, and never taken for a
   * `session_state`. `THREAD_EXISTS` if the id is taken.
   */
  async importThread(thread: PostgresThreadInfo, lineTexts: Iterable<string> | AsyncIterable<string>): Promise<void> {
    assertValidThreadId(thread.threadId);
    await this.#transaction('thread import', async (client) => {
      await insertThread(client, thread.threadId, thread.rolloutPath);
      let count = 0;
      let batch: string[] = [];
      const flush = async () => {
        const states = batch.map((text) => {
          const decoded = tryDecodeRolloutLine(text, count + 1);
          return decoded.ok && isSessionStateLine(decoded.line);
        });
        await insertLines(client, thread.threadId, count + 1, batch, states);
        count += batch.length;
        batch = [];
      };
      for await (const text of lineTexts) {
        batch.push(text);
        if (batch.length === BATCH_LINES) await flush();
      }
      if (batch.length > 0) await flush();
      await client.query('UPDATE agent_identity_threads SET line_count = $2 WHERE thread_id = $1', [
        thread.threadId,
        count,
      ]);
    });
  }

  async #transaction(operation: string, work: (client: PoolClient) => Promise<void>): Promise<void> {
    await databaseCall('ROLLOUT_IO', operation, async () => {
      const client = await this.#pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        try {
          await work(client);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          });
          throw error;
        }
      } finally {
        client.release(broken);
      }
    });
  }
}

async function insertThread(client: PoolClient, threadId: string, rolloutPath: string): Promise<void> {
  const { rowCount } = await client.query(
    `INSERT INTO agent_identity_threads (thread_id, line_count, rollout_path) VALUES ($1, 0, $2)
     ON CONFLICT (thread_id) DO NOTHING`,
    [threadId, rolloutPath],
  );
  if (rowCount !== 1) throw threadExists(threadId);
}

async function insertLines(
  client: PoolClient,
  threadId: string,
  firstSeq: number,
  texts: readonly string[],
  states: readonly boolean[],
): Promise<void> {
  await client.query(
    `INSERT INTO agent_identity_rollout_lines (thread_id, seq, line, is_session_state)
     SELECT $1, $2 + added.position - 1, added.line, added.is_session_state
     FROM unnest($3::text[], $4::boolean[]) WITH ORDINALITY AS added(line, is_session_state, position)`,
    [threadId, firstSeq, texts, states],
  );
}

/**
 * Copies the parent's lines after the fork's `session_meta`, minus every `session_state` line: a
 * fork never inherits its parent's task (SPEC §4.5). Resolves to the number of lines copied.
 */
async function copyForFork(client: PoolClient, parentId: string, threadId: string): Promise<number> {
  const parent = await client.query('SELECT 1 FROM agent_identity_threads WHERE thread_id = $1 FOR SHARE', [parentId]);
  if (parent.rowCount !== 1) throw threadNotFound(parentId);
  const { rowCount } = await client.query(
    `INSERT INTO agent_identity_rollout_lines (thread_id, seq, line, is_session_state)
     SELECT $2, 1 + row_number() OVER (ORDER BY seq), line, false
     FROM agent_identity_rollout_lines WHERE thread_id = $1 AND NOT is_session_state`,
    [parentId, threadId],
  );
  return rowCount ?? 0;
}
