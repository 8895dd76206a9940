import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AgentThread } from '@agent-identity/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentFetch, recoveryErrorOf, type AgentFetch } from '../src/index.js';
import { refuseTaskInvalid, ScriptedServer, type ReceivedRequest } from './support/scripted-server.js';
import { responsesRequest } from './support/sse-events.js';
import { closeTestBeds, TestBed } from './support/test-bed.js';

afterEach(closeTestBeds);

/** What `fetch` rejects with when its signal is aborted without a reason. */
const ABORT_ERROR = expect.objectContaining({ name: 'AbortError' }) as unknown;

/** Resolves once the backend has taken every injected fault: the registration is on the wire, unanswered. */
async function registrationHanging(bed: TestBed): Promise<void> {
  while (bed.backend.admin.faults().length > 0) await nextTurn();
}

/** A prewarmed thread whose task the backend has revoked, its next registration set to hang. */
async function revokedThreadWithHangingRegistration(bed: TestBed): Promise<AgentThread> {
  const { thread, task } = await bed.taskThread();
  await bed.backend.admin.revokeTask(task.taskId);
  bed.backend.admin.injectFault('task_register', { kind: 'hang' });
  return thread;
}

function refuse(code: string): (request: ReceivedRequest, response: ServerResponse) => void {
  return (_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code, message: `refused: ${code}` } }));
  };
}

/** A body that can be read once only. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

describe('aborting a request while its re-registration hangs (task revoked)', () => {
  for (const mode of ['thread', 'turn'] as const) {
    it(`${mode === 'turn' ? 'with' : 'without'} \`turn\`: rejects with AbortError, no event; the next request recovers`, async () => {
      const bed = await TestBed.start();
      const thread = await revokedThreadWithHangingRegistration(bed);
      const agentFetch: AgentFetch =
        mode === 'turn' ? createAgentFetch(thread, { turn: await bed.turnAuth(thread) }) : createAgentFetch(thread);
      const controller = new AbortController();
      const pending = agentFetch(bed.backend.responsesUrl, {
        ...responsesRequest('hello'),
        signal: controller.signal,
      });
      await registrationHanging(bed);
      controller.abort();

      await expect(pending).rejects.toEqual(ABORT_ERROR);
      expect(bed.events).toEqual([]);
      const next = await agentFetch(bed.backend.responsesUrl, responsesRequest('again'));
      expect(next.status).toBe(200);
      await next.text();
      // a pinned turn still holds the revoked task: its next request is refused once more, then recovers
      const refused = mode === 'turn' ? 2 : 1;
      expect(bed.counters().downstream.http).toEqual({ accepted: 1, rejected: { task_invalid: refused } });
    });
  }
});

describe('every 401 the wrapper returns has a body the caller can still read', () => {
  it('not healable (bad_signature), clock not corrected (expired), and after a retry (REFUSED_AFTER_RETRY)', async () => {
    const bed = await TestBed.start();
    const { thread } = await bed.taskThread();
    const agentFetch = createAgentFetch(thread);
    for (const code of ['bad_signature', 'expired']) {
      await using server = await ScriptedServer.start(refuse(code));
      const response = await agentFetch(server.url, { method: 'POST', body: 'x' });
      expect(response.status).toBe(401);
      expect(JSON.parse(await response.text())).toEqual({ error: { code, message: `refused: ${code}` } });
    }
    await using alwaysInvalid = await ScriptedServer.start((_request, response) => {
      refuseTaskInvalid(response);
    });
    const again = await agentFetch(alwaysInvalid.url, { method: 'POST', body: 'x' });
    expect(recoveryErrorOf(again)?.code).toBe('REFUSED_AFTER_RETRY');
    expect(await again.text()).toContain('task_invalid');
  });

  it('a one-shot body (BODY_NOT_REPLAYABLE) and a failed re-registration (TASK_REGISTRATION_FAILED)', async () => {
    const bed = await TestBed.start();
    const { thread } = await bed.taskThread();
    await using server = await ScriptedServer.start((_request, response) => {
      refuseTaskInvalid(response);
    });
    const agentFetch = createAgentFetch(thread);
    const oneShot = await agentFetch(server.url, { method: 'POST', body: streamOf('once'), duplex: 'half' });
    expect(recoveryErrorOf(oneShot)?.code).toBe('BODY_NOT_REPLAYABLE');
    expect(await oneShot.text()).toContain('task_invalid');

    await thread.prewarmed;
    bed.backend.admin.injectFault('task_register', { kind: 'status', status: 403 }, { times: 6 });
    const failed = await agentFetch(server.url, { method: 'POST', body: 'x' });
    expect(recoveryErrorOf(failed)?.code).toBe('TASK_REGISTRATION_FAILED');
    expect(await failed.text()).toContain('task_invalid');
  });
});
