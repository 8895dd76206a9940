import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import {
  completedFrameText,
  completedText,
  connectWebSocket,
  createResponseOverWebSocket,
  postResponses,
  readEventStream,
  registerAgentWithTask,
} from './protocol-client.js';

const user = { accessToken: 'token-alice', accountId: 'account-1', userId: 'user-alice' };

describe.each([
  ['without a path prefix', ''],
  ['under /backend-api', '/backend-api'],
])('the whole flow %s', (_name, pathPrefix) => {
  let backend: ReferenceBackend | undefined;
  afterEach(async () => {
    await backend?.close();
  });

  it('registers an identity and a task, opens the task id, and is accepted downstream over HTTP and WebSocket', async () => {
    backend = await startReferenceBackend({ users: [user], pathPrefix });
    expect(backend.baseUrl).toBe(`${backend.url}${pathPrefix}`);

    const agent = await registerAgentWithTask(backend.baseUrl, user.accessToken);
    expect(agent.agentRuntimeId).toMatch(/^agent-[0-9a-f]{32}$/);
    expect(agent.taskId).toMatch(/^task_[0-9a-f]{32}$/);
    expect(await backend.admin.agents()).toMatchObject([
      {
        agentRuntimeId: agent.agentRuntimeId,
        publicKey: agent.key.sshPublicKey,
        accountId: 'account-1',
        userId: 'user-alice',
      },
    ]);
    expect(await backend.admin.tasks()).toMatchObject([
      { taskId: agent.taskId, agentRuntimeId: agent.agentRuntimeId, revokedAt: null },
    ]);

    const response = await postResponses(backend.responsesUrl, agent.assertion(), 'hello there');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = await readEventStream(response);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...events.slice(4, -4).map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const expected = `echo: hello there (agent ${agent.agentRuntimeId}, task ${agent.taskId})`;
    expect(completedText(events)).toBe(expected);
    const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(expected);

    const handshake = await connectWebSocket(backend.websocketUrl, agent.assertion());
    if (handshake.kind !== 'open') throw new Error(`handshake was not accepted: ${JSON.stringify(handshake)}`);
    const frames = await createResponseOverWebSocket(handshake.socket, [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'over the socket' }] },
    ]);
    handshake.socket.close();
    expect(frames[0]).toMatchObject({ type: 'response.created' });
    expect(frames.at(-1)).toMatchObject({ type: 'response.completed' });
    expect(completedFrameText(frames)).toBe(
      `echo: over the socket (agent ${agent.agentRuntimeId}, task ${agent.taskId})`,
    );

    expect(backend.admin.requests()).toMatchObject([
      {
        transport: 'http',
        auth: 'agent_assertion',
        agentRuntimeId: agent.agentRuntimeId,
        taskId: agent.taskId,
        path: `${pathPrefix}/v1/responses`,
        accountIdHeader: false,
      },
      { transport: 'ws', auth: 'agent_assertion', agentRuntimeId: agent.agentRuntimeId, taskId: agent.taskId },
    ]);
    expect(backend.admin.counters()).toMatchObject({
      biscuitsMinted: 2,
      agentRegistrations: 1,
      taskRegistrations: 1,
      downstream: { http: { accepted: 1, rejected: {} }, ws: { accepted: 1, rejected: {} } },
    });
  });

  it("accepts a configured user's bearer token downstream and names the user", async () => {
    backend = await startReferenceBackend({ users: [user], pathPrefix });
    const events = await readEventStream(await postResponses(backend.responsesUrl, `Bearer ${user.accessToken}`, 'hi'));
    expect(completedText(events)).toBe('echo: hi (user user-alice)');

    const handshake = await connectWebSocket(backend.websocketUrl, `Bearer ${user.accessToken}`);
    if (handshake.kind !== 'open') throw new Error('bearer handshake was not accepted');
    const frames = await createResponseOverWebSocket(handshake.socket, 'hey');
    handshake.socket.close();
    expect(completedFrameText(frames)).toBe('echo: hey (user user-alice)');
  });
});

describe('startReferenceBackend defaults', () => {
  it('accepts the demo user when no users are given', async () => {
    await using backend = await startReferenceBackend();
    const events = await readEventStream(await postResponses(backend.responsesUrl, 'Bearer demo-access-token', 'x'));
    expect(completedText(events)).toBe('echo: x (user user-demo)');
    expect(backend.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
