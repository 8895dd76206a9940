import { CREDENTIALS_REVOKED_CLOSE_CODE, ResponseTextAccumulator } from '@agent-identity/protocol';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { streamResponse } from '../src/stream-response.js';
import { closeAgentHarnesses, startAgentHarness } from './support/agent-harness.js';

afterEach(async () => {
  await closeAgentHarnesses();
});

async function answerOver(socket: WebSocket, input: string): Promise<string | undefined> {
  const answer = new ResponseTextAccumulator();
  for await (const event of streamResponse(socket, { model: 'test', input })) answer.add(event);
  return answer.finish().text;
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    socket.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
}

// Issue 11 item 2 (SPEC §5): the server ends a revoked task's sockets; the pool heals it like task_invalid.
describe('a socket the server closes because its credentials were revoked (4401)', () => {
  it('a revoked task: the pool invalidates it, and the next checkout runs on a new task', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const pool = harness.pool(thread);
    const revoked = thread.task!;
    const lease = await pool.checkout(await harness.turnAuth(thread));
    const closed = closeOf(lease.socket);
    lease.release();

    await harness.backend.admin.revokeTask(revoked.taskId);

    expect(await closed).toEqual({ code: CREDENTIALS_REVOKED_CLOSE_CODE, reason: 'task_invalid' });
    await vi.waitFor(() => {
      expect(thread.task).toBeUndefined();
    });
    using next = await pool.checkout(await harness.turnAuth(thread));
    const renewed = thread.task!;
    expect(renewed.taskId).not.toBe(revoked.taskId);
    expect(renewed.agentRuntimeId).toBe(revoked.agentRuntimeId);
    expect(await harness.stateLines(thread.id)).toEqual([revoked, null, renewed]);
    expect(await answerOver(next.socket, 'after the revocation')).toBe(
      `echo: after the revocation (agent ${renewed.agentRuntimeId}, task ${renewed.taskId})`,
    );
  });

  it('a revoked agent: the next checkout runs on a new identity and task', async () => {
    const harness = await startAgentHarness();
    const thread = await harness.thread();
    const pool = harness.pool(thread);
    const revoked = thread.task!;
    const lease = await pool.checkout(await harness.turnAuth(thread));
    const closed = closeOf(lease.socket);
    lease.release();

    await harness.backend.admin.revokeAgent(revoked.agentRuntimeId);

    expect(await closed).toEqual({ code: CREDENTIALS_REVOKED_CLOSE_CODE, reason: 'unknown_agent' });
    await vi.waitFor(() => {
      expect(thread.task).toBeUndefined();
    });
    using next = await pool.checkout(await harness.turnAuth(thread));
    const renewed = thread.task!;
    expect(renewed.agentRuntimeId).not.toBe(revoked.agentRuntimeId);
    expect(await answerOver(next.socket, 'new identity')).toBe(
      `echo: new identity (agent ${renewed.agentRuntimeId}, task ${renewed.taskId})`,
    );
  });
});
