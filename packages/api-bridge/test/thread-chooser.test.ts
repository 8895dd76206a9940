import { decodeAgentAssertionHeader } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_THREAD_ID_HEADER, createAgentFetch, recoveryErrorOf, threadByIdHeader } from '../src/index.js';
import { echo, ScriptedServer } from './support/scripted-server.js';
import { closeTestBeds, TestBed } from './support/test-bed.js';

afterEach(closeTestBeds);

describe('one fetch for many threads (a ThreadChooser)', () => {
  it('threadByIdHeader: each request carries its own thread’s task; the header never leaves', async () => {
    const bed = await TestBed.start();
    const [one, two] = [await bed.taskThread(), await bed.taskThread()];
    const threads = new Map([one, two].map(({ thread }) => [thread.id, thread]));
    const agentFetch = createAgentFetch(threadByIdHeader((threadId) => threads.get(threadId)));
    await using server = await ScriptedServer.start(echo);

    for (const { thread } of [one, two, one]) {
      const response = await agentFetch(server.url, { headers: { [AGENT_THREAD_ID_HEADER]: thread.id } });
      expect(response.status).toBe(200);
    }
    const taskIds = server.received.map(
      (request) => decodeAgentAssertionHeader(request.headers.authorization ?? '').task_id,
    );
    expect(taskIds).toEqual([one.task.taskId, two.task.taskId, one.task.taskId]);
    for (const request of server.received) expect(request.headers[AGENT_THREAD_ID_HEADER]).toBeUndefined();
  });

  it('no thread for the request: a 400 THREAD_NOT_CHOSEN answer, nothing sent', async () => {
    const bed = await TestBed.start();
    const { thread } = await bed.taskThread();
    const agentFetch = createAgentFetch(threadByIdHeader((threadId) => (threadId === thread.id ? thread : undefined)));
    await using server = await ScriptedServer.start(echo);
    const unchosen: Record<string, string>[] = [{}, { [AGENT_THREAD_ID_HEADER]: 'someone-else' }];
    for (const headers of unchosen) {
      const response = await agentFetch(server.url, { headers });
      expect(response.status).toBe(400);
      expect(recoveryErrorOf(response)?.code).toBe('THREAD_NOT_CHOSEN');
      expect(await response.json()).toMatchObject({ error: { code: 'THREAD_NOT_CHOSEN' } });
    }
    expect(server.received).toEqual([]);
  });
});
