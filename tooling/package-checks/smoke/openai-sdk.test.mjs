// The flow a user wires first, from the tarballs alone: the official openai SDK with
// createAgentFetch as its fetch, against the reference backend's model endpoint.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import OpenAI from 'openai';
import { createAgentFetch } from '@agent-identity/api-bridge';
import {
  createAgentIdentityRuntime,
  MemoryAuthSource,
  MemoryIdentityStore,
  MemoryRolloutStore,
} from '@agent-identity/core';
import { DEMO_USER, startReferenceBackend } from '@agent-identity/reference-backend';

const backend = await startReferenceBackend({ port: 0, pathPrefix: '/backend-api' });
const runtimes = [];
after(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.close()));
  await backend.close();
});

function runtimeFor(login) {
  const runtime = createAgentIdentityRuntime({
    useAgentIdentity: true,
    baseUrl: backend.baseUrl,
    authSource: new MemoryAuthSource(login),
    identityStore: new MemoryIdentityStore(),
    rolloutStore: new MemoryRolloutStore(),
  });
  runtimes.push(runtime);
  return runtime;
}

function sdkFor(thread) {
  return new OpenAI({ apiKey: 'unused', baseURL: `${backend.baseUrl}/v1`, fetch: createAgentFetch(thread) });
}

test('responses.stream() through createAgentFetch is answered for the thread’s task', async () => {
  const login = { mode: 'chatgpt', accessToken: DEMO_USER.accessToken, accountId: DEMO_USER.accountId };
  const thread = await runtimeFor(login).startThread();
  const answer = await sdkFor(thread).responses.stream({ model: 'gpt-5', input: 'hello' }).finalResponse();
  assert.ok(thread.task, 'the turn registered a task');
  assert.equal(answer.output_text, `echo: hello (agent ${thread.task.agentRuntimeId}, task ${thread.task.taskId})`);
});

test('nobody logged in: the SDK gets an AuthenticationError with code NOT_LOGGED_IN, nothing is sent', async () => {
  const thread = await runtimeFor(undefined).startThread();
  await assert.rejects(sdkFor(thread).responses.create({ model: 'gpt-5', input: 'hello' }), (error) => {
    assert.ok(error instanceof OpenAI.AuthenticationError);
    assert.equal(error.code, 'NOT_LOGGED_IN');
    return true;
  });
});
