import { describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import { closeOf, connectWebSocket, postResponses, registerAgentWithTask } from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

function admin(
  backend: ReferenceBackend,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  return fetch(`${backend.url}/_admin/${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function json(response: Response): Promise<unknown> {
  expect(response.status).toBe(200);
  return response.json();
}

describe('/_admin over HTTP', () => {
  it('lists agents, tasks, accepted requests and counters', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    await (await postResponses(backend.responsesUrl, agent.assertion(), 'x')).text();

    expect(await json(await admin(backend, 'agents'))).toEqual({ agents: await backend.admin.agents() });
    expect(await json(await admin(backend, 'tasks'))).toEqual({ tasks: await backend.admin.tasks() });
    expect(await json(await admin(backend, 'requests'))).toMatchObject({
      requests: [
        { transport: 'http', auth: 'agent_assertion', agentRuntimeId: agent.agentRuntimeId, taskId: agent.taskId },
      ],
    });
    expect(await json(await admin(backend, 'counters'))).toMatchObject({
      agentRegistrations: 1,
      taskRegistrations: 1,
      downstream: { http: { accepted: 1 } },
    });
  });

  it('revokes a task: its assertions get task_invalid', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const revoked = await json(await admin(backend, `tasks/${agent.taskId}/revoke`, { method: 'POST' }));
    expect(revoked).toMatchObject({ task: { taskId: agent.taskId, revokedAt: expect.any(String) as unknown } });
    expect((await errorOf(await postResponses(backend.responsesUrl, agent.assertion(), 'x'))).code).toBe(
      'task_invalid',
    );
  });

  it('revokes an agent: its assertions get unknown_agent', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    await json(await admin(backend, `agents/${agent.agentRuntimeId}/revoke`, { method: 'POST' }));
    expect((await errorOf(await postResponses(backend.responsesUrl, agent.assertion(), 'x'))).code).toBe(
      'unknown_agent',
    );
  });

  it('404 for revoking an unknown task or agent', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    expect((await admin(backend, 'tasks/task_nope/revoke', { method: 'POST' })).status).toBe(404);
    expect((await admin(backend, 'agents/agent-nope/revoke', { method: 'POST' })).status).toBe(404);
  });

  it('verifies a header with the backend verifier', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    expect(await json(await admin(backend, 'verify', { body: { header: agent.assertion() } }))).toMatchObject({
      ok: true,
      identity: { agentRuntimeId: agent.agentRuntimeId, taskId: agent.taskId },
    });
    expect(await json(await admin(backend, 'verify', { body: { header: 'AgentAssertion x' } }))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect((await admin(backend, 'verify', { body: { header: 42 } })).status).toBe(400);
  });

  it('queues, lists and clears faults', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const queued = await json(
      await admin(backend, 'faults', {
        body: { endpoint: 'responses', fault: { kind: 'status', status: 502 }, times: 2 },
      }),
    );
    expect(queued).toEqual({
      faults: [{ endpoint: 'responses', fault: { kind: 'status', status: 502 }, remaining: 2 }],
    });
    expect((await postResponses(backend.responsesUrl, `Bearer ${alice.accessToken}`, 'x')).status).toBe(502);
    expect(await json(await admin(backend, 'faults'))).toMatchObject({ faults: [{ remaining: 1 }] });
    expect(await json(await admin(backend, 'faults', { method: 'DELETE' }))).toEqual({ faults: [] });
  });

  it('400 for an invalid fault', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await admin(backend, 'faults', {
      body: { endpoint: 'biscuit', fault: { kind: 'tamper_sealed_box' } },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_request');
  });

  it('sets the WebSocket maximum age', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const outcome = await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
    if (outcome.kind !== 'open') throw new Error('handshake failed');
    const closed = closeOf(outcome.socket);
    expect(await json(await admin(backend, 'ws-max-age', { body: { maxAgeMs: 0 } }))).toEqual({ maxAgeMs: 0 });
    expect((await closed).code).toBe(4000);
    expect((await admin(backend, 'ws-max-age', { body: { maxAgeMs: 'soon' } })).status).toBe(400);
    expect((await admin(backend, 'ws-max-age', { body: { maxAgeMs: -5 } })).status).toBe(400);
  });

  it('resets everything', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    backend.admin.injectFault('biscuit', { kind: 'hang' });
    expect(await json(await admin(backend, 'reset', { method: 'POST' }))).toEqual({});
    expect(await backend.admin.agents()).toEqual([]);
    expect(await backend.admin.tasks()).toEqual([]);
    expect(backend.admin.faults()).toEqual([]);
    expect(backend.admin.counters()).toMatchObject({ biscuitsMinted: 0, agentRegistrations: 0 });
  });

  it('lives at the root whatever the path prefix, and only there', async () => {
    await using backend = await startReferenceBackend({ users: [alice], pathPrefix: '/backend-api' });
    expect((await fetch(`${backend.url}/_admin/counters`)).status).toBe(200);
    expect((await fetch(`${backend.baseUrl}/_admin/counters`)).status).toBe(404);
  });

  it('never lists access tokens or biscuits', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    for (const path of ['agents', 'tasks', 'requests', 'counters', 'faults']) {
      expect(await (await admin(backend, path)).text()).not.toContain(alice.accessToken);
    }
  });
});
