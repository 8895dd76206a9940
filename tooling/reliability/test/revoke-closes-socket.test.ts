import { CREDENTIALS_REVOKED_CLOSE_CODE, ResponseTextAccumulator } from '@agent-identity/protocol';
import { createAgentSocketPool, streamResponse } from '@agent-identity/transport-ws';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { FileRuntimeBed } from './support/file-runtime-bed.js';

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    socket.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
}

async function answerOver(socket: WebSocket, input: string): Promise<string | undefined> {
  const answer = new ResponseTextAccumulator();
  for await (const event of streamResponse(socket, { model: 'reliability', input })) answer.add(event);
  return answer.finish().text;
}

// Issue 11 item 2 (SPEC §5): after a revocation an open socket kept answering for the revoked task.
describe('revoking a task or an agent over /_admin ends its open WebSockets, and the runtime heals', () => {
  it.each([
    ['task', 'task_invalid'],
    ['agent', 'unknown_agent'],
  ] as const)(
    'a revoked %s: its socket closes 4401 %s, nothing more is answered for it, the next turn runs on new credentials',
    async (kind, reason) => {
      await FileRuntimeBed.run({}, async (bed) => {
        const thread = await bed.runtime().startThread();
        await thread.prewarmed;
        const revoked = thread.task!;
        const pool = createAgentSocketPool(thread, { url: bed.backend.websocketUrl });
        try {
          const lease = await pool.checkout(await bed.turnAuth(thread));
          expect(await answerOver(lease.socket, 'before')).toContain(`task ${revoked.taskId}`);
          const closed = closeOf(lease.socket);

          const path = kind === 'task' ? `tasks/${revoked.taskId}` : `agents/${revoked.agentRuntimeId}`;
          expect((await fetch(`${bed.backend.url}/_admin/${path}/revoke`, { method: 'POST' })).status).toBe(200);

          expect(await closed).toEqual({ code: CREDENTIALS_REVOKED_CLOSE_CODE, reason });
          await expect(answerOver(lease.socket, 'after')).rejects.toMatchObject({ code: 'SOCKET_CLOSED' });
          lease.release();
          await vi.waitFor(() => {
            expect(bed.backend.admin.webSockets()).toEqual([]);
            expect(thread.task).toBeUndefined();
          });
          using next = await pool.checkout(await bed.turnAuth(thread));
          const renewed = thread.task!;
          expect(renewed.taskId).not.toBe(revoked.taskId);
          expect(renewed.agentRuntimeId === revoked.agentRuntimeId).toBe(kind === 'task');
          expect(await answerOver(next.socket, 'after')).toBe(
            `echo: after (agent ${renewed.agentRuntimeId}, task ${renewed.taskId})`,
          );
        } finally {
          await pool.close();
        }
      });
    },
  );
});
