import { generateKeyPairSync } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { decodeAgentAssertionHeader } from '@agent-identity/protocol';
import { MemoryRegistryStore } from '@agent-identity/registry';
import { startReferenceBackend } from '@agent-identity/reference-backend';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiBridgeError, createAgentFetch, recoveryErrorOf, type TaskRecoveryEvent } from '../src/index.js';
import { echo, refuseTaskInvalid, ScriptedServer, type ReceivedRequest } from './support/scripted-server.js';
import { outputText, responsesRequest } from './support/sse-events.js';
import { closeTestBeds, TestBed, USER } from './support/test-bed.js';

afterEach(closeTestBeds);

const TASK_INVALID_BODY = { error: { code: 'task_invalid', message: expect.any(String) as unknown } };

/** A body that can be read once only. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

/** A fresh Ed25519 key, PKCS#8 v1 base64: what the backend never saw. */
function anotherKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

function taskIdOf(request: ReceivedRequest | undefined): string {
  return decodeAgentAssertionHeader(request?.headers.authorization ?? '').task_id;
}

/** Refuses the first request as `task_invalid`, echoes every later one. */
function refuseFirstThenEcho(request: ReceivedRequest, response: ServerResponse, index: number): void {
  if (index === 0) refuseTaskInvalid(response);
  else echo(request, response);
}

describe('a task revoked at the backend (task_invalid; reference backend, file rollout)', () => {
  it('the next request recovers: one null line, one re-registration, one retry', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { thread, task } = await bed.taskThread();
    expect(await bed.stateLines(thread.id)).toEqual([task]);
    await bed.backend.admin.revokeTask(task.taskId);
    const before = bed.counters();
    const recoveries: TaskRecoveryEvent[] = [];
    const agentFetch = createAgentFetch(thread, { onRecovery: (event) => recoveries.push(event), logger: bed.logger });

    const response = await agentFetch(bed.backend.responsesUrl, responsesRequest('hello again'));

    expect(response.status).toBe(200);
    expect(recoveryErrorOf(response)).toBeUndefined();
    const next = thread.task;
    expect(next?.taskId).not.toBe(task.taskId);
    expect(await outputText(response)).toBe(`echo: hello again (agent ${task.agentRuntimeId}, task ${next?.taskId})`);
    const after = bed.counters();
    expect(after.taskRegistrations - before.taskRegistrations).toBe(1);
    expect(after.agentRegistrations).toBe(before.agentRegistrations);
    expect(after.downstream.http).toEqual({ accepted: 1, rejected: { task_invalid: 1 } });
    expect(await bed.stateLines(thread.id)).toEqual([task, null, next]);
    expect(recoveries).toEqual([
      { outcome: 'retried', threadId: thread.id, refusal: 'task_invalid', invalidTask: task, task: next },
    ]);
    expect(bed.logger.text()).not.toContain('AgentAssertion ');
  });

  it('with `turn`: later requests use the re-registered task straight away', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { thread, task, auth } = await bed.taskThread();
    await bed.backend.admin.revokeTask(task.taskId);
    const agentFetch = createAgentFetch(thread, { turn: auth });
    for (const text of ['one', 'two', 'three']) {
      expect((await agentFetch(bed.backend.responsesUrl, responsesRequest(text))).status).toBe(200);
    }
    expect(bed.counters().downstream.http).toEqual({ accepted: 3, rejected: { task_invalid: 1 } });
    expect(bed.counters().taskRegistrations).toBe(2);
    expect(await bed.stateLines(thread.id)).toEqual([task, null, thread.task]);
  });

  it('a one-shot stream body is not retried: the caller gets the 401 and BODY_NOT_REPLAYABLE', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { thread, task } = await bed.taskThread();
    await bed.backend.admin.revokeTask(task.taskId);
    const recoveries: TaskRecoveryEvent[] = [];
    const agentFetch = createAgentFetch(thread, { onRecovery: (event) => recoveries.push(event) });
    const before = bed.counters();

    const body = streamOf(JSON.stringify({ model: 'test-model', input: 'streamed', stream: true }));
    const response = await agentFetch(bed.backend.responsesUrl, responsesRequest('', { body, duplex: 'half' }));

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(TASK_INVALID_BODY); // the caller's body is intact
    const reason = recoveryErrorOf(response);
    expect(ApiBridgeError.isInstance(reason)).toBe(true);
    expect(reason?.code).toBe('BODY_NOT_REPLAYABLE');
    expect(reason?.message).toContain(task.taskId);
    expect(recoveries).toEqual([
      {
        outcome: 'not_retried',
        threadId: thread.id,
        refusal: 'task_invalid',
        invalidTask: task,
        task: thread.task,
        error: reason,
      },
    ]);
    // invalidated, and (by design) re-registered at once: one null line, one new task line
    const next = thread.task;
    expect(next?.taskId).not.toBe(task.taskId);
    expect(await bed.stateLines(thread.id)).toEqual([task, null, next]);
    const after = bed.counters();
    expect(after.taskRegistrations - before.taskRegistrations).toBe(1);
    expect(after.downstream.http).toEqual({ accepted: 0, rejected: { task_invalid: 1 } });

    // sending again with a fresh body goes straight through on the new task
    const again = await agentFetch(bed.backend.responsesUrl, responsesRequest('again'));
    expect(await outputText(again)).toContain(`task ${next?.taskId}`);
    expect(bed.counters().taskRegistrations - before.taskRegistrations).toBe(1);
  });

  it.each([
    { mode: 'without `turn` (each request begins a turn)', pinned: false },
    { mode: 'with one shared `turn`', pinned: true },
  ])('100 concurrent requests $mode: one re-registration, all 100 succeed', async ({ pinned }) => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { thread, task, auth } = await bed.taskThread();
    await bed.backend.admin.revokeTask(task.taskId);
    const before = bed.counters();
    const agentFetch = createAgentFetch(thread, pinned ? { turn: auth } : {});

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        agentFetch(bed.backend.responsesUrl, responsesRequest(`request ${index}`)),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 100 }, () => 200));
    const next = thread.task;
    const texts = await Promise.all(responses.map((response) => outputText(response)));
    expect(
      texts.every(
        (text, index) => text === `echo: request ${index} (agent ${task.agentRuntimeId}, task ${next?.taskId})`,
      ),
    ).toBe(true);
    const after = bed.counters();
    expect(after.taskRegistrations - before.taskRegistrations).toBe(1);
    expect(after.downstream.http.accepted).toBe(100);
    expect(await bed.stateLines(thread.id)).toEqual([task, null, next]);
  });
});

describe('the backend forgot or revoked the agent, or lost the task (SPEC §5, beyond Codex)', () => {
  it('an agent revoked at the backend (unknown_agent): one new identity, one new task, one retry; the new assertion is accepted', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { thread, task } = await bed.taskThread();
    await bed.backend.admin.revokeAgent(task.agentRuntimeId);
    const before = bed.counters();
    const recoveries: TaskRecoveryEvent[] = [];
    const agentFetch = createAgentFetch(thread, { onRecovery: (event) => recoveries.push(event), logger: bed.logger });

    const response = await agentFetch(bed.backend.responsesUrl, responsesRequest('after revocation'));

    expect(response.status).toBe(200);
    const next = thread.task;
    expect(next?.agentRuntimeId).not.toBe(task.agentRuntimeId);
    expect(await outputText(response)).toBe(
      `echo: after revocation (agent ${next?.agentRuntimeId}, task ${next?.taskId})`,
    );
    const after = bed.counters();
    expect(after.agentRegistrations - before.agentRegistrations).toBe(1);
    expect(after.taskRegistrations - before.taskRegistrations).toBe(1);
    expect(after.downstream.http).toEqual({ accepted: 1, rejected: { unknown_agent: 1 } });
    expect(await bed.stateLines(thread.id)).toEqual([task, null, next]);
    expect(recoveries).toEqual([
      { outcome: 'retried', threadId: thread.id, refusal: 'unknown_agent', invalidTask: task, task: next },
    ]);
    expect((await bed.backend.admin.verify((await thread.authorizationHeader()) ?? '')).ok).toBe(true);
  });

  it('a backend restarted without its data (unknown_agent): the resumed thread recovers on its first request', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { thread, task } = await bed.taskThread();
    await using fresh = await startReferenceBackend({ users: [USER] });
    const resumed = await bed.runtime({ baseUrl: fresh.baseUrl }).resumeThread(thread.id);
    await resumed.prewarmed;
    expect(resumed.task).toEqual(task); // from the rollout: nothing asked the fresh backend yet
    expect(fresh.admin.counters().biscuitsMinted).toBe(0);

    const response = await createAgentFetch(resumed)(fresh.responsesUrl, responsesRequest('after the restart'));

    expect(response.status).toBe(200);
    const next = resumed.task;
    expect(await outputText(response)).toBe(
      `echo: after the restart (agent ${next?.agentRuntimeId}, task ${next?.taskId})`,
    );
    const counters = fresh.admin.counters();
    expect(counters.agentRegistrations).toBe(1);
    expect(counters.taskRegistrations).toBe(1);
    expect(counters.downstream.http).toEqual({ accepted: 1, rejected: { unknown_agent: 1 } });
    expect(await bed.stateLines(thread.id)).toEqual([task, null, next]);
  });

  it('a backend restored from data older than the task (unknown_task): one new task under the same identity, one retry', async () => {
    try {
      const bed = await TestBed.start({ rolloutStore: 'file' });
      const { thread, task } = await bed.taskThread();
      // The restored registry: the agents, none of the tasks.
      const restored = new MemoryRegistryStore();
      for (const agent of await bed.backend.admin.agents()) await restored.addAgent(agent);
      await using backup = await startReferenceBackend({ users: [USER], registry: restored });
      const resumed = await bed.runtime({ baseUrl: backup.baseUrl }).resumeThread(thread.id);
      const recoveries: TaskRecoveryEvent[] = [];

      const response = await createAgentFetch(resumed, { onRecovery: (event) => recoveries.push(event) })(
        backup.responsesUrl,
        responsesRequest('after the restore'),
      );

      expect(response.status).toBe(200);
      const next = resumed.task;
      expect(next?.agentRuntimeId).toBe(task.agentRuntimeId);
      expect(next?.taskId).not.toBe(task.taskId);
      expect(await outputText(response)).toBe(
        `echo: after the restore (agent ${task.agentRuntimeId}, task ${next?.taskId})`,
      );
      const counters = backup.admin.counters();
      expect(counters.agentRegistrations).toBe(0);
      expect(counters.taskRegistrations).toBe(1);
      expect(counters.downstream.http).toEqual({ accepted: 1, rejected: { unknown_task: 1 } });
      expect(await bed.stateLines(thread.id)).toEqual([task, null, next]);
      expect(recoveries).toMatchObject([
        { outcome: 'retried', refusal: 'unknown_task', invalidTask: task, task: next },
      ]);
    } finally {
      await closeTestBeds();
    }
  });

  it('a stored key the backend does not have (bad_signature): returned as it is, nothing registered, task kept', async () => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    const stored = await bed.identityStore.load();
    if (stored === undefined) throw new Error('no stored identity');
    await bed.identityStore.save({ ...stored, agent_private_key: anotherKey() });
    const before = bed.counters();

    const response = await createAgentFetch(thread)(bed.backend.responsesUrl, responsesRequest('wrong key'));

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_signature' } });
    expect(recoveryErrorOf(response)).toBeUndefined();
    const after = bed.counters();
    expect(after.downstream.http).toEqual({ accepted: 0, rejected: { bad_signature: 1 } });
    expect(after.taskRegistrations).toBe(before.taskRegistrations);
    expect(after.agentRegistrations).toBe(before.agentRegistrations);
    expect(thread.task).toEqual(task);
  });

  it('a second refusal of another healable kind after the retry is returned with REFUSED_AFTER_RETRY', async () => {
    const bed = await TestBed.start();
    const { thread } = await bed.taskThread();
    await using server = await ScriptedServer.start((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'unknown_task', message: 'no such task' } }));
    });
    const before = bed.counters();
    const response = await createAgentFetch(thread)(server.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(recoveryErrorOf(response)?.code).toBe('REFUSED_AFTER_RETRY');
    expect(recoveryErrorOf(response)?.message).toContain('(unknown_task)');
    expect(server.received).toHaveLength(2);
    expect(bed.counters().taskRegistrations - before.taskRegistrations).toBe(1);
  });
});

describe('replayable bodies are sent again, the same bytes (SPEC §4.7)', () => {
  const cases: { name: string; init: () => RequestInit }[] = [
    { name: 'no body (GET)', init: () => ({}) },
    { name: 'a string', init: () => ({ method: 'POST', body: '{"input":"text"}' }) },
    { name: 'a Uint8Array', init: () => ({ method: 'POST', body: new TextEncoder().encode('bytes') }) },
    { name: 'an ArrayBuffer', init: () => ({ method: 'POST', body: new TextEncoder().encode('buffer').buffer }) },
    { name: 'URLSearchParams', init: () => ({ method: 'POST', body: new URLSearchParams({ a: '1', b: 'two' }) }) },
    { name: 'a Blob', init: () => ({ method: 'POST', body: new Blob(['blob'], { type: 'text/plain' }) }) },
  ];

  it.each(cases)('$name', async ({ init }) => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    await using server = await ScriptedServer.start(refuseFirstThenEcho);
    const response = await createAgentFetch(thread)(`${server.url}/upload`, init());
    expect(response.status).toBe(200);
    const [first, second] = server.received;
    expect(server.received).toHaveLength(2);
    expect(second?.method).toBe(first?.method);
    expect(second?.body.toString()).toBe(first?.body.toString());
    expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
    expect(taskIdOf(first)).toBe(task.taskId);
    expect(taskIdOf(second)).toBe(thread.task?.taskId);
    expect(thread.task?.taskId).not.toBe(task.taskId);
  });

  it('FormData (its boundary differs per send, its fields do not)', async () => {
    const bed = await TestBed.start();
    const { thread } = await bed.taskThread();
    await using server = await ScriptedServer.start(refuseFirstThenEcho);
    const form = new FormData();
    form.set('purpose', 'assistants');
    form.set('file', new Blob(['file content']), 'notes.txt');
    const response = await createAgentFetch(thread)(`${server.url}/files`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const bodies = server.received.map((request) => {
      const boundary = /boundary=(\S+)/.exec(request.headers['content-type'] ?? '')?.[1] ?? 'no boundary';
      return request.body.toString().replaceAll(boundary, '<boundary>');
    });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('file content');
    expect(bodies[0]).toContain('assistants');
    expect(bodies[1]).toBe(bodies[0]);
  });
});

describe('bodies that cannot be replayed are not', () => {
  it.each([
    {
      name: 'an async iterable (a Node stream)',
      send: (url: string) => ({
        url,
        init: { method: 'POST', body: Readable.from([Buffer.from('chunk')]), duplex: 'half' },
      }),
    },
    {
      name: 'a Request with a body',
      send: (url: string) => ({
        url: new Request(url, { method: 'POST', body: 'inside the request' }),
        init: undefined,
      }),
    },
  ])('$name', async ({ send }) => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    await using server = await ScriptedServer.start(refuseFirstThenEcho);
    const { url, init } = send(server.url);
    const response = await createAgentFetch(thread)(url, init as RequestInit | undefined);
    expect(response.status).toBe(401);
    expect(recoveryErrorOf(response)?.code).toBe('BODY_NOT_REPLAYABLE');
    expect(server.received).toHaveLength(1);
    expect(thread.task?.taskId).not.toBe(task.taskId);
  });
});

describe('nothing else is ever retried', () => {
  const taskInvalidJson = (message: string) => JSON.stringify({ error: { code: 'task_invalid', message } });
  const refusals: { name: string; status: number; contentType: string; body: string }[] = [
    // a new task would be refused alike; `expired` with a Date that shows no skew is not the clock's fault
    ...['bad_signature', 'malformed_assertion', 'invalid_token', 'missing_authorization', 'expired', 'from_future'].map(
      (code) => ({
        name: `401 ${code}`,
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code, message: 'refused' } }),
      }),
    ),
    { name: '403 task_invalid', status: 403, contentType: 'application/json', body: taskInvalidJson('refused') },
    { name: '500 task_invalid', status: 500, contentType: 'application/json', body: taskInvalidJson('refused') },
    { name: '401 text naming task_invalid', status: 401, contentType: 'text/plain', body: 'task_invalid' },
    {
      name: '401 task_invalid beyond 16 KiB',
      status: 401,
      contentType: 'application/json',
      body: taskInvalidJson('x'.repeat(17_000)),
    },
  ];

  it.each(refusals)('$name: returned as it is, body intact, task kept', async ({ status, contentType, body }) => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    await using server = await ScriptedServer.start((_request, response) => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    });
    const before = bed.counters();
    const response = await createAgentFetch(thread)(server.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(body);
    expect(recoveryErrorOf(response)).toBeUndefined();
    expect(server.received).toHaveLength(1);
    expect(thread.task).toEqual(task);
    expect(bed.counters().taskRegistrations).toBe(before.taskRegistrations);
  });

  it('a 401 whose body stalls after its head: the refusal read gives up at its deadline, the 401 comes back as it is', async () => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    await using server = await ScriptedServer.start((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.write('{"error": {"code": "task_');
      // never ends
    });
    const response = await createAgentFetch(thread, { refusalReadTimeoutMs: 100 })(server.url, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(recoveryErrorOf(response)).toBeUndefined();
    expect(server.received).toHaveLength(1);
    expect(thread.task).toEqual(task);
    await response.body?.cancel();
  });

  it('a 401 whose body stalls: aborting the request’s signal rejects with its reason, as fetch would', async () => {
    const bed = await TestBed.start();
    const { thread } = await bed.taskThread();
    const controller = new AbortController();
    await using server = await ScriptedServer.start((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.write('{"error": {"code": "task_');
    });
    // the caller gives up once the 401's head has arrived, while its body stalls
    const fetchThenAbort = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      setImmediate(() => {
        controller.abort(new Error('the caller gave up'));
      });
      return response;
    };
    const sent = createAgentFetch(thread, { fetch: fetchThenAbort })(server.url, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    await expect(sent).rejects.toThrow('the caller gave up');
    expect(server.received).toHaveLength(1);
  });

  it('a bearer request refused as task_invalid: returned as it is', async () => {
    const bed = await TestBed.start();
    const thread = await bed.runtime({ useAgentIdentity: false }).startThread();
    await using server = await ScriptedServer.start(refuseFirstThenEcho);
    const response = await createAgentFetch(thread)(server.url);
    expect(response.status).toBe(401);
    expect(recoveryErrorOf(response)).toBeUndefined();
    expect(server.received).toHaveLength(1);
  });

  it('a second task_invalid after the retry: returned as it is, REFUSED_AFTER_RETRY, no loop', async () => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    await using server = await ScriptedServer.start((_request, response) => {
      refuseTaskInvalid(response);
    });
    const before = bed.counters();
    const response = await createAgentFetch(thread, { logger: bed.logger })(server.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(TASK_INVALID_BODY);
    expect(recoveryErrorOf(response)?.code).toBe('REFUSED_AFTER_RETRY');
    expect(server.received.map(taskIdOf)).toEqual([task.taskId, thread.task?.taskId]);
    expect(bed.counters().taskRegistrations - before.taskRegistrations).toBe(1);
  });
});

describe('when recovery itself fails', () => {
  it('re-registration fails: the 401 comes back with TASK_REGISTRATION_FAILED, not retried', async () => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    bed.backend.admin.injectFault('task_register', { kind: 'status', status: 403 });
    await using server = await ScriptedServer.start(refuseFirstThenEcho);
    const recoveries: TaskRecoveryEvent[] = [];
    const response = await createAgentFetch(thread, { onRecovery: (event) => recoveries.push(event) })(server.url);
    expect(response.status).toBe(401);
    const reason = recoveryErrorOf(response);
    expect(reason?.code).toBe('TASK_REGISTRATION_FAILED');
    expect(reason?.message).toMatch(/^Agent task registration failed\. Please try again; /);
    expect(server.received).toHaveLength(1);
    expect(thread.task).toBeUndefined();
    expect(recoveries).toEqual([
      {
        outcome: 'not_retried',
        threadId: thread.id,
        refusal: 'task_invalid',
        invalidTask: task,
        task: undefined,
        error: reason,
      },
    ]);
    expect(bed.events.map((event) => event.code)).toEqual(['TASK_REGISTRATION_FAILED']);
  });

  it('a throwing onRecovery listener is logged; the request still recovers', async () => {
    const bed = await TestBed.start();
    const { thread } = await bed.taskThread();
    await using server = await ScriptedServer.start(refuseFirstThenEcho);
    const agentFetch = createAgentFetch(thread, {
      logger: bed.logger,
      onRecovery: () => {
        throw new Error('listener bug');
      },
    });
    expect((await agentFetch(server.url)).status).toBe(200);
    expect(bed.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'agent identity: the onRecovery listener threw' }),
    );
  });
});
