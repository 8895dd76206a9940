import { AuthFileLoginSource, createAgentIdentityRuntime } from '@agent-identity/core';
import { PostgresIdentityStore, PostgresRolloutStore } from '@agent-identity/store-postgres';
import pg from 'pg';

// One pool per process; every process of the fleet points at the same database.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

const runtime = createAgentIdentityRuntime({
  useAgentIdentity: true,
  baseUrl: process.env.AGENT_IDENTITY_BASE_URL ?? 'https://chatgpt.com/backend-api/',
  authSource: new AuthFileLoginSource({ path: `${process.env.CODEX_HOME ?? '.'}/auth.json` }),
  // `open` applies the schema migrations first (once, even when the whole fleet starts together).
  identityStore: await PostgresIdentityStore.open({ pool, slot: 'user-alice' }),
  rolloutStore: await PostgresRolloutStore.open({ pool }),
});

// A thread started on any host resumes here with its task: one index lookup, no registration.
const [threadId] = process.argv.slice(2);
const thread = threadId === undefined ? await runtime.startThread() : await runtime.resumeThread(threadId);
await thread.prewarmed;
console.log(thread.id, thread.task?.taskId);

await runtime.close();
await pool.end();
