import { CREDENTIALS_REVOKED_CLOSE_CODE } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { startReferenceBackend } from '../src/index.js';
import { closeOf, connectWebSocket, createResponseOverWebSocket, registerAgentWithTask } from './protocol-client.js';
import { alice } from './test-users.js';

async function openSocket(url: string, authorization: string): Promise<WebSocket> {
  const handshake = await connectWebSocket(url, authorization);
  if (handshake.kind !== 'open') throw new Error(`handshake refused: ${JSON.stringify(handshake)}`);
  return handshake.socket;
}

// Issue 11 item 2 (SPEC §5): after a revocation, an open socket kept answering for the revoked task.
describe('revoking a task or an agent ends its open WebSockets', () => {
  it('closes the sockets of a revoked task with 4401 task_invalid and leaves other tasks open', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const revoked = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const kept = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const first = await openSocket(backend.websocketUrl, revoked.assertion());
    const second = await openSocket(backend.websocketUrl, revoked.assertion());
    const other = await openSocket(backend.websocketUrl, kept.assertion());
    const closes = [closeOf(first), closeOf(second)];

    await backend.admin.revokeTask(revoked.taskId);

    expect(await Promise.all(closes)).toEqual([
      { code: CREDENTIALS_REVOKED_CLOSE_CODE, reason: 'task_invalid' },
      { code: CREDENTIALS_REVOKED_CLOSE_CODE, reason: 'task_invalid' },
    ]);
    const frames = await createResponseOverWebSocket(other, 'still here');
    expect(frames.at(-1)).toMatchObject({ type: 'response.completed' });
    expect(backend.admin.webSockets()).toEqual([
      {
        auth: 'agent_assertion',
        agentRuntimeId: kept.agentRuntimeId,
        taskId: kept.taskId,
        bufferedBytes: 0,
        pendingRequests: 0,
      },
    ]);
    other.close();
  });

  it('closes every socket of a revoked agent with 4401 unknown_agent, over /_admin too', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    const socket = await openSocket(backend.websocketUrl, agent.assertion());
    const closed = closeOf(socket);
    const response = await fetch(`${backend.url}/_admin/agents/${agent.agentRuntimeId}/revoke`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await closed).toEqual({ code: CREDENTIALS_REVOKED_CLOSE_CODE, reason: 'unknown_agent' });
  });
});
