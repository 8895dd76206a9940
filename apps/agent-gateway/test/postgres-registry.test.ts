import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAgentFetch, type TaskRecoveryEvent } from '@agent-identity/api-bridge';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';
import { RuntimeBed } from '@agent-identity/test-bed';
import { GATEWAY_CREDENTIAL, GATEWAY_USER, SDK_API_KEY } from './support/gateway-bed.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

let database: FreshDatabase;
let databaseUrl: string;
let bed: RuntimeBed;
let gateway: ChildProcessWithoutNullStreams;
let gatewayUrl: string;
let gatewayStderr = '';

/** Resolves to the first line the child prints on stdout. */
async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  let text = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    text += chunk as string;
    if (text.includes('\n')) return text.split('\n', 1)[0] ?? '';
  }
  throw new Error(`the gateway printed no URL: ${gatewayStderr}`);
}

beforeAll(async () => {
  database = await createFreshDatabase();
  databaseUrl = database.url;
  bed = await RuntimeBed.start({ backend: { databaseUrl } });
  // The URL (with its password) goes in the environment, not on the command line.
  gateway = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@agent-identity/source', 'src/cli.ts', '--upstream', bed.backend.baseUrl],
    {
      cwd: appDir,
      env: {
        ...process.env,
        AGENT_GATEWAY_UPSTREAM_AUTHORIZATION: GATEWAY_CREDENTIAL,
        AGENT_GATEWAY_DATABASE_URL: databaseUrl,
      },
    },
  );
  gateway.stderr.setEncoding('utf8').on('data', (chunk: string) => (gatewayStderr += chunk));
  gatewayUrl = await firstLine(gateway);
}, 120_000);

afterAll(async () => {
  if (gateway.exitCode === null) {
    const exited = once(gateway, 'exit');
    gateway.kill('SIGTERM');
    await exited;
  }
  await bed.close();
  await database.drop();
}, 120_000);

describe('agent-gateway on the backend’s PostgreSQL registry (--database-url)', () => {
  it('verifies against the database: the SDK streams through it; a task revoked at the backend is refused at the gateway by notification, and the client recovers', async () => {
    const thread = await bed.runtime().startThread();
    const turn = await bed.turnAuth(thread);
    const recoveries: TaskRecoveryEvent[] = [];
    const client = new OpenAI({
      apiKey: SDK_API_KEY,
      baseURL: `${gatewayUrl}/v1`,
      fetch: createAgentFetch(thread, { turn, onRecovery: (event) => recoveries.push(event) }),
      maxRetries: 0,
    });

    const first = await client.responses.stream({ model: 'gpt-5', input: 'before' }).finalResponse();
    expect(first.output_text).toBe(`echo: before (user ${GATEWAY_USER.userId})`);

    const revokedTaskId = thread.task?.taskId;
    expect(revokedTaskId).toBeDefined();
    await bed.backend.admin.revokeTask(revokedTaskId ?? '');
    // The gateway caches the task as active; only the revocation's notification can make it refuse.
    await vi.waitFor(
      async () => {
        const refused = await fetch(`${gatewayUrl}/v1/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...turn.headers() },
          body: JSON.stringify({ model: 'gpt-5', input: 'revoked?' }),
        });
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ error: { code: 'task_invalid' } });
      },
      { timeout: 5_000, interval: 25 },
    );

    const second = await client.responses.stream({ model: 'gpt-5', input: 'after' }).finalResponse();
    expect(second.output_text).toBe(`echo: after (user ${GATEWAY_USER.userId})`);
    expect(recoveries).toEqual([expect.objectContaining({ refusal: 'task_invalid' })]);
    expect(thread.task?.taskId).not.toBe(revokedTaskId);
    expect(gatewayStderr).toContain('registry: PostgreSQL');
    expect(gatewayStderr).not.toContain(String(database.connection.password));
  });
});
