import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BackendAdminClient, BackendError, startReferenceBackend } from '../src/index.js';
import { postResponses, registerAgentWithTask } from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

const ADMIN_TOKEN = 'admin-token-0123456789';

async function failureOf(call: Promise<unknown>): Promise<BackendError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!BackendError.isInstance(error)) throw new Error(`expected a BackendError, got ${String(error)}`);
  return error;
}

describe('BackendAdminClient against a real reference backend', () => {
  it('reads agents, tasks, accepted requests and counters as backend.admin has them', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    await (await postResponses(backend.responsesUrl, agent.assertion(), 'x')).text();
    // A URL with a path: the admin API is at the origin's root whatever the path.
    const client = new BackendAdminClient({ url: backend.baseUrl });

    expect(await client.isSupported()).toBe(true);
    expect(await client.agents()).toEqual(await backend.admin.agents());
    expect(await client.tasks()).toEqual(await backend.admin.tasks());
    expect(await client.requests()).toMatchObject([
      { transport: 'http', auth: 'agent_assertion', agentRuntimeId: agent.agentRuntimeId, taskId: agent.taskId },
    ]);
    expect(await client.counters()).toEqual(backend.admin.counters());
  });

  it('revokes a task and an agent: their assertions are refused', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const client = new BackendAdminClient({ url: backend.url });
    const first = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    await client.revokeTask(first.taskId);
    expect((await errorOf(await postResponses(backend.responsesUrl, first.assertion(), 'x'))).code).toBe(
      'task_invalid',
    );
    const second = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    await client.revokeAgent(second.agentRuntimeId);
    expect((await errorOf(await postResponses(backend.responsesUrl, second.assertion(), 'x'))).code).toBe(
      'unknown_agent',
    );
  });

  it("answers the backend verifier's verdict for a header", async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const client = new BackendAdminClient({ url: backend.url });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    expect(await client.verify(agent.assertion())).toMatchObject({
      ok: true,
      identity: { agentRuntimeId: agent.agentRuntimeId, taskId: agent.taskId },
    });
    expect(await client.verify('AgentAssertion garbage')).toMatchObject({ ok: false });
  });

  it('injects a fault and resets the backend', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const client = new BackendAdminClient({ url: backend.url });
    await client.injectFault('task_register', { kind: 'status', status: 503 }, 2);
    expect(backend.admin.faults()).toMatchObject([{ endpoint: 'task_register', remaining: 2 }]);
    await registerAgentWithTask(backend.baseUrl, alice.accessToken).catch(() => undefined);
    await client.reset();
    expect(backend.admin.faults()).toEqual([]);
    expect(await backend.admin.agents()).toEqual([]);
  });

  it('sends the admin token when given one; without it the call fails ADMIN_CALL_FAILED, not retryable', async () => {
    await using backend = await startReferenceBackend({ users: [alice], adminToken: ADMIN_TOKEN });
    const refused = await failureOf(new BackendAdminClient({ url: backend.url }).counters());
    expect(refused.code).toBe('ADMIN_CALL_FAILED');
    expect(refused.isRetryable).toBe(false);
    const allowed = new BackendAdminClient({ url: backend.url, adminToken: ADMIN_TOKEN });
    expect(await allowed.counters()).toMatchObject({ taskRegistrations: 0 });
    const wrong = await failureOf(new BackendAdminClient({ url: backend.url, adminToken: 'x'.repeat(20) }).tasks());
    expect(wrong.message).not.toContain('x'.repeat(20));
  });

  it('says ADMIN_UNSUPPORTED for a server without /_admin, and ADMIN_UNREACHABLE when nothing listens', async () => {
    const server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = new BackendAdminClient({ url });
      expect(await client.isSupported()).toBe(false);
      const unsupported = await failureOf(client.verify('AgentAssertion x'));
      expect(unsupported.code).toBe('ADMIN_UNSUPPORTED');
      expect(unsupported.message).toContain('POST /_admin/verify answered 404');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const unreachable = await failureOf(new BackendAdminClient({ url }).counters());
    expect(unreachable.code).toBe('ADMIN_UNREACHABLE');
    expect(unreachable.isRetryable).toBe(true);
  });
});
