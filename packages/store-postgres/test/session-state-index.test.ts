import { sessionStateLine, type SessionAgentTask } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresRolloutStore } from '../src/index.js';
import { NEWEST_SESSION_STATE_SQL } from '../src/postgres-rollout-store.js';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';

let database: FreshDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

function task(taskId: string): SessionAgentTask {
  return { agent_runtime_id: 'agent-123', task_id: taskId, registered_at: '2026-04-19T22:45:28Z' };
}

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Shared Hit Blocks': number;
  readonly 'Shared Read Blocks': number;
  readonly Plans?: readonly PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** Adds `count` message lines to the log of `threadId` in one statement (a long conversation). */
async function growLog(store: FreshDatabase, threadId: string, count: number): Promise<void> {
  await store.pool.query(
    `WITH grown AS (
       UPDATE agent_identity_threads SET line_count = line_count + $2 WHERE thread_id = $1
       RETURNING line_count - $2 AS base
     )
     INSERT INTO agent_identity_rollout_lines (thread_id, seq, line, is_session_state)
     SELECT $1, grown.base + n, '{"timestamp":"2026-04-19T22:45:30.000Z","type":"response_item","payload":{"type":"message","text":"' || repeat('x', 200) || '"}}', false
     FROM grown, generate_series(1, $2) AS n`,
    [threadId, count],
  );
}

describe('newestSessionState is an index lookup (no scan at any size)', () => {
  it('its plan scans no table among 5,000 threads, and reads as few pages for a 300,000-line log as for a short one', async () => {
    database = await createFreshDatabase();
    const store = await PostgresRolloutStore.open({ pool: database.pool });
    const pagesRead = async (threadId: string) => {
      await database?.pool.query('ANALYZE');
      const { rows } = await (database as FreshDatabase).pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${NEWEST_SESSION_STATE_SQL}`,
        [threadId],
      );
      const plan = rows[0]?.['QUERY PLAN'][0].Plan as PlanNode;
      const nodes = nodesOf(plan);
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
      return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
    };

    for (const threadId of ['short', 'long', 'other']) await store.createThread(threadId);
    await store.append('short', [sessionStateLine(task('task_short'), 0)]);
    await store.append('long', [sessionStateLine(task('task_old'), 0)]);
    await growLog(database, 'long', 150_000);
    await store.append('long', [sessionStateLine(task('task_long'), 0)]);
    await growLog(database, 'long', 150_000);
    await growLog(database, 'other', 1_000);
    await database.pool.query(
      `INSERT INTO agent_identity_threads (thread_id, line_count, rollout_path)
       SELECT 'many-' || n, 0, 'sessions/many-' || n FROM generate_series(1, 5000) AS n`,
    );

    expect(await store.newestSessionState('long')).toEqual({ found: true, agentTask: task('task_long') });
    const short = await pagesRead('short');
    const long = await pagesRead('long');
    expect(long).toBeLessThanOrEqual(short + 2);
    expect(long).toBeLessThan(16);
  });
});
