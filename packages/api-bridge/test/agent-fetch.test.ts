import { decodeAgentAssertionHeader, encodeSseEvent, type ResponseStreamEvent } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiBridgeError, createAgentFetch, recoveryErrorOf } from '../src/index.js';
import { echo, ScriptedServer } from './support/scripted-server.js';
import { outputText, readEvents, responsesRequest, streamEvents } from './support/sse-events.js';
import { closeTestBeds, TestBed, USER } from './support/test-bed.js';

afterEach(closeTestBeds);

/** Headers a careless caller might set: both must be replaced, the rest kept. */
const CALLER_HEADERS = {
  'content-type': 'application/json',
  authorization: 'Bearer stale-token-from-the-caller',
  'ChatGPT-Account-ID': 'account-from-the-caller',
  'x-trace-id': 'trace-1',
};

/** A promise the test opens by hand (Node 20 has no `Promise.withResolvers`). */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('the Authorization a request carries (SPEC §3.6, §4.7)', () => {
  it('a task turn: an assertion the backend verifies (its answer names agent and task), no ChatGPT-Account-ID', async () => {
    const bed = await TestBed.start();
    const { thread, auth } = await bed.turn();
    const agentFetch = createAgentFetch(thread, { turn: auth });
    const response = await agentFetch(bed.backend.responsesUrl, responsesRequest('hello', { headers: CALLER_HEADERS }));
    expect(response.status).toBe(200);
    const task = thread.task;
    expect(await outputText(response)).toBe(`echo: hello (agent ${task?.agentRuntimeId}, task ${task?.taskId})`);
    expect(bed.backend.admin.requests()).toEqual([
      expect.objectContaining({ auth: 'agent_assertion', taskId: task?.taskId, accountIdHeader: false }),
    ]);
  });

  it('a task turn: on the wire, only the assertion — no account id, the caller’s other headers kept', async () => {
    const bed = await TestBed.start();
    const { thread, auth } = await bed.turn();
    await using server = await ScriptedServer.start(echo);
    await createAgentFetch(thread, { turn: auth })(server.url, { method: 'POST', headers: CALLER_HEADERS, body: '{}' });
    const [received] = server.received;
    expect(received?.headers).not.toHaveProperty('chatgpt-account-id');
    expect(received?.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace-id': 'trace-1' });
    expect(decodeAgentAssertionHeader(received?.headers.authorization ?? '')).toMatchObject({
      agent_runtime_id: thread.task?.agentRuntimeId,
      task_id: thread.task?.taskId,
    });
  });

  it('a taskless turn: Bearer <access token> plus ChatGPT-Account-ID', async () => {
    const bed = await TestBed.start();
    const { thread, auth } = await bed.turn({ useAgentIdentity: false });
    const agentFetch = createAgentFetch(thread, { turn: auth });
    const response = await agentFetch(bed.backend.responsesUrl, responsesRequest('hi', { headers: CALLER_HEADERS }));
    expect(await outputText(response)).toBe(`echo: hi (user ${USER.userId})`);
    expect(bed.backend.admin.requests()).toEqual([expect.objectContaining({ auth: 'bearer', accountIdHeader: true })]);

    await using server = await ScriptedServer.start(echo);
    await agentFetch(server.url, { headers: CALLER_HEADERS });
    expect(server.received[0]?.headers).toMatchObject({
      authorization: `Bearer ${USER.accessToken}`,
      'chatgpt-account-id': USER.accountId,
      'x-trace-id': 'trace-1',
    });
  });

  it('nobody logged in: not sent — a 401 NOT_LOGGED_IN answer, whatever Authorization the caller set', async () => {
    const bed = await TestBed.start({ login: null });
    for (const useAgentIdentity of [true, false]) {
      const { thread, auth } = await bed.turn({ useAgentIdentity });
      await using server = await ScriptedServer.start(echo);
      for (const agentFetch of [createAgentFetch(thread, { turn: auth }), createAgentFetch(thread)]) {
        const response = await agentFetch(server.url, { headers: { authorization: 'Bearer unused' } });
        expect(response.status).toBe(401);
        expect(response.headers.get('x-should-retry')).toBe('false');
        expect(recoveryErrorOf(response)?.code).toBe('NOT_LOGGED_IN');
        expect(await response.json()).toEqual({
          error: {
            code: 'NOT_LOGGED_IN',
            message: expect.stringContaining('nobody is logged in') as unknown,
            type: 'agent_identity_error',
          },
        });
      }
      expect(server.received).toEqual([]);
    }
  });

  it('a Request input keeps its method and headers and gets the assertion', async () => {
    const bed = await TestBed.start();
    const { thread, auth } = await bed.turn();
    await using server = await ScriptedServer.start(echo);
    const request = new Request(`${server.url}/files/1`, { method: 'DELETE', headers: { 'x-trace-id': 'trace-2' } });
    expect((await createAgentFetch(thread, { turn: auth })(request)).status).toBe(200);
    const [received] = server.received;
    expect(received).toMatchObject({ method: 'DELETE', path: '/files/1', headers: { 'x-trace-id': 'trace-2' } });
    expect(received?.headers.authorization).toMatch(/^AgentAssertion /);
  });

  it('builds the header per request: a later second signs a later timestamp', async () => {
    const bed = await TestBed.start();
    const clock = { ms: Date.now() };
    const thread = await bed.runtime({ now: () => clock.ms }).startThread();
    await thread.prewarmed;
    const agentFetch = createAgentFetch(thread);
    await using server = await ScriptedServer.start(echo);
    await agentFetch(server.url);
    clock.ms += 2_000;
    await agentFetch(server.url);
    const [first, second] = server.received.map((request) =>
      Date.parse(decodeAgentAssertionHeader(request.headers.authorization ?? '').timestamp),
    );
    expect((second ?? 0) - (first ?? 0)).toBe(2_000);
  });

  it('without `turn`: a request on a thread with no task yet waits for its registration, never sends bearer', async () => {
    const bed = await TestBed.start();
    const thread = await bed.runtime().startThread({ ephemeral: true });
    await using server = await ScriptedServer.start(echo);
    await createAgentFetch(thread)(server.url);
    expect(thread.task).toBeDefined();
    expect(decodeAgentAssertionHeader(server.received[0]?.headers.authorization ?? '').task_id).toBe(
      thread.task?.taskId,
    );
  });

  it('without `turn`: a failed registration answers 401 TASK_REGISTRATION_FAILED (not a rejection) and sends nothing', async () => {
    const bed = await TestBed.start();
    // one refusal for the prewarm, one for the request's own attempt
    bed.backend.admin.injectFault('task_register', { kind: 'status', status: 403 });
    const thread = await bed.runtime().startThread({ ephemeral: true });
    await thread.prewarmed;
    bed.backend.admin.injectFault('task_register', { kind: 'status', status: 403 });
    await using server = await ScriptedServer.start(echo);
    const response = await createAgentFetch(thread)(server.url);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const error = recoveryErrorOf(response);
    expect(ApiBridgeError.isInstance(error) && error.code).toBe('TASK_REGISTRATION_FAILED');
    expect(await response.json()).toEqual({
      error: { code: 'TASK_REGISTRATION_FAILED', message: error?.message, type: 'agent_identity_error' },
    });
    expect(bed.events.map((event) => event.code)).toEqual(['TASK_REGISTRATION_FAILED']);
    expect(server.received).toEqual([]);
  });
});

describe('SSE streaming responses pass through unchanged', () => {
  it('the reference backend’s Responses events arrive whole and in order', async () => {
    const bed = await TestBed.start();
    const { thread, auth } = await bed.turn();
    const response = await createAgentFetch(thread, { turn: auth })(
      bed.backend.responsesUrl,
      responsesRequest('one two three'),
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const types = (await readEvents(response)).map((event) => event.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(4, -4)).toEqual(types.slice(4, -4).map(() => 'response.output_text.delta'));
    expect(types.length).toBeGreaterThan(9);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('each event reaches the caller before the server has written the next one', async () => {
    const bed = await TestBed.start();
    const { thread, auth } = await bed.turn();
    const events: ResponseStreamEvent[] = [
      { type: 'response.created', response: { id: 'resp_1' } },
      { type: 'response.output_text.delta', delta: 'Hel' },
      { type: 'response.output_text.delta', delta: 'lo' },
      {
        type: 'response.completed',
        response: { id: 'resp_1', usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } },
      },
    ];
    const gates = events.map(() => gate());
    const written: string[] = [];
    await using server = await ScriptedServer.start(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const [index, event] of events.entries()) {
        // the next event is written only once the caller has seen this one
        if (index > 0) await gates[index - 1]?.opened;
        const frame = encodeSseEvent(event);
        written.push(frame);
        response.write(frame);
      }
      response.end();
    });
    const response = await createAgentFetch(thread, { turn: auth })(server.url, { method: 'POST', body: '{}' });
    const received: ResponseStreamEvent[] = [];
    for await (const event of streamEvents(response)) {
      received.push(event);
      expect(written).toHaveLength(received.length);
      gates[received.length - 1]?.open();
    }
    expect(received).toEqual(events);
  });
});
