import pg from 'pg';
import { sessionStateLine, toUnionAgentIdentityRecord } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresIdentityStore, PostgresRolloutStore } from '../src/index.js';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';

const PRIVATE_KEY =
  'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=';
/** A record as core's stores write it: the union of both Codex field sets. */
const RECORD = toUnionAgentIdentityRecord({
  registered_at: '2026-04-19T22:45:28Z',
  agent_private_key: PRIVATE_KEY,
  agent_runtime_id: 'agent-123',
  workspace_id: 'account-123',
  chatgpt_user_id: 'user-123',
});

let database: FreshDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

describe('the stores on PostgreSQL: documents and failures', () => {
  it('the identity record reads back as the document it was saved as, keys in their order', async () => {
    database = await createFreshDatabase();
    const store = await PostgresIdentityStore.open({ pool: database.pool });
    const unknownLast = { ...RECORD, z_field: 1, a_field: { nested: [true] } };
    await store.save(unknownLast);
    const union = toUnionAgentIdentityRecord(unknownLast);
    expect(Object.keys((await store.load()) ?? {})).toEqual(Object.keys(union));
  });

  it('slots are separate: one per auth file a single host would have', async () => {
    database = await createFreshDatabase();
    const alice = await PostgresIdentityStore.open({ pool: database.pool, slot: 'alice' });
    const bob = await PostgresIdentityStore.open({ pool: database.pool, slot: 'bob' });
    await alice.save(RECORD);
    expect(await bob.load()).toBeUndefined();
    expect(await bob.delete(RECORD)).toBe(false);
    expect(await alice.load()).toEqual(toUnionAgentIdentityRecord(RECORD));
  });

  it('an unreachable server: open fails with the port’s typed error', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'nobody', password: 'never-shown', database: 'none' });
    try {
      await expect(PostgresIdentityStore.open({ pool })).rejects.toMatchObject({
        code: 'AUTH_FILE_IO',
        isRetryable: true,
      });
      await expect(PostgresRolloutStore.open({ pool })).rejects.toMatchObject({
        code: 'ROLLOUT_IO',
        isRetryable: true,
      });
    } finally {
      await pool.end();
    }
  });

  it('a failing database: AUTH_FILE_IO / ROLLOUT_IO, and the message never holds the record', async () => {
    database = await createFreshDatabase();
    const identityStore = await PostgresIdentityStore.open({ pool: database.pool });
    const rolloutStore = await PostgresRolloutStore.open({ pool: database.pool });
    await rolloutStore.createThread('thread-1');
    await database.pool.query('ALTER TABLE agent_identity_slots RENAME TO moved_away');
    await database.pool.query('ALTER TABLE agent_identity_rollout_lines RENAME TO moved_away_too');

    const failure = await identityStore.save(RECORD).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.code).toBe('AUTH_FILE_IO');
    expect(failure?.message).toContain('SQLSTATE 42P01');
    expect(failure?.message).not.toContain(PRIVATE_KEY);
    await expect(rolloutStore.append('thread-1', [sessionStateLine(null, 0)])).rejects.toMatchObject({
      code: 'ROLLOUT_IO',
    });
  });
});
