import { AgentSigningKey, CryptoError, openSealedTaskId } from '@agent-identity/crypto';
import { agentRegisterUrl, BISCUIT_RESPONSE_HEADER, biscuitUrl, RegisterTaskResponse } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { BackendError, startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import {
  biscuitHeaders,
  connectWebSocket,
  createResponseOverWebSocket,
  postResponses,
  postTaskRegistration,
  postWithBiscuit,
  readEventStream,
  registerAgent,
  registrationBody,
} from './protocol-client.js';
import { alice, errorOf } from './test-users.js';

function requestBiscuit(backend: ReferenceBackend): Promise<Response> {
  return fetch(biscuitUrl(backend.baseUrl), {
    headers: biscuitHeaders(alice.accessToken, 'POST', agentRegisterUrl(backend.baseUrl)),
  });
}

function registerNewAgent(backend: ReferenceBackend): Promise<Response> {
  const url = agentRegisterUrl(backend.baseUrl);
  return postWithBiscuit(backend.baseUrl, alice.accessToken, url, registrationBody(AgentSigningKey.generate()));
}

/** Resolves once the backend has played `count` faults on `endpoint` (the call has arrived). */
async function faultPlayed(backend: ReferenceBackend, endpoint: 'biscuit' | 'responses_ws', count = 1): Promise<void> {
  while ((backend.admin.counters().faultsApplied[endpoint] ?? 0) < count) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('fault: status', () => {
  it('answers the status with the default JSON error and Retry-After, before any check', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('biscuit', { kind: 'status', status: 503, retryAfterSeconds: 7 });
    const response = await requestBiscuit(backend);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await errorOf(response)).toEqual({ code: 'injected_fault', message: 'injected fault: status 503' });
    expect(backend.admin.counters()).toMatchObject({ biscuitsMinted: 0, faultsApplied: { biscuit: 1 } });
  });

  it('applies to the next `times` calls only, then the endpoint behaves again', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('biscuit', { kind: 'status', status: 429 }, { times: 2 });
    expect((await requestBiscuit(backend)).status).toBe(429);
    expect(backend.admin.faults()).toMatchObject([{ endpoint: 'biscuit', remaining: 1 }]);
    expect((await requestBiscuit(backend)).status).toBe(429);
    expect((await requestBiscuit(backend)).status).toBe(200);
    expect(backend.admin.faults()).toEqual([]);
  });

  it('sends a string body verbatim as text, and other bodies as JSON', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('agent_register', { kind: 'status', status: 500, body: 'upstream exploded' });
    backend.admin.injectFault('agent_register', { kind: 'status', status: 200, body: { unexpected: true } });
    const text = await registerNewAgent(backend);
    expect(text.status).toBe(500);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('upstream exploded');
    const json = await registerNewAgent(backend);
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ unexpected: true });
    expect(await backend.admin.agents()).toEqual([]);
  });

  it('refuses a WebSocket handshake with the status', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('responses_ws', { kind: 'status', status: 503, retryAfterSeconds: 1 });
    const outcome = await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
    expect(outcome).toMatchObject({ kind: 'refused', status: 503, headers: { 'retry-after': '1' } });
  });
});

describe('fault: delay', () => {
  it('answers normally after the delay (HTTP)', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('responses', { kind: 'delay', delayMs: 30 });
    const response = await postResponses(backend.responsesUrl, `Bearer ${alice.accessToken}`, 'late');
    expect(response.status).toBe(200);
    expect((await readEventStream(response)).at(-1)).toMatchObject({ type: 'response.completed' });
    expect(backend.admin.counters().faultsApplied).toEqual({ responses: 1 });
  });

  it('accepts the WebSocket handshake after the delay', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('responses_ws', { kind: 'delay', delayMs: 30 });
    const outcome = await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
    if (outcome.kind !== 'open') throw new Error('handshake was not accepted after the delay');
    outcome.socket.close();
  });
});

describe('fault: hang', () => {
  it('never answers an HTTP call; close() ends it', async () => {
    const backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('biscuit', { kind: 'hang' });
    const pending = requestBiscuit(backend).then(
      () => 'answered',
      () => 'connection ended',
    );
    await faultPlayed(backend, 'biscuit');
    await backend.close();
    expect(await pending).toBe('connection ended');
  });

  it('never answers a WebSocket handshake; close() ends it', async () => {
    const backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('responses_ws', { kind: 'hang' });
    const pending = connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
    await faultPlayed(backend, 'responses_ws');
    await backend.close();
    expect((await pending).kind).toBe('error');
  });
});

describe('fault: garbage', () => {
  it('answers 200 with a body that is not JSON', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('agent_register', { kind: 'garbage' });
    const response = await registerNewAgent(backend);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('streams events whose data is not JSON on the responses endpoint', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('responses', { kind: 'garbage' });
    const response = await postResponses(backend.responsesUrl, `Bearer ${alice.accessToken}`, 'x');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    await expect(readEventStream(response)).rejects.toThrow(SyntaxError);
  });

  it('accepts the WebSocket and answers with frames that are not JSON', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('responses_ws', { kind: 'garbage' });
    const outcome = await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
    if (outcome.kind !== 'open') throw new Error('handshake was not accepted');
    const frames = await createResponseOverWebSocket(outcome.socket, 'x');
    outcome.socket.close();
    expect(frames[0]).toHaveProperty('unparsable');
  });
});

describe('fault: missing_biscuit', () => {
  it('answers 200 without x-openai-authorization', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('biscuit', { kind: 'missing_biscuit' });
    const response = await requestBiscuit(backend);
    expect(response.status).toBe(200);
    expect(response.headers.get(BISCUIT_RESPONSE_HEADER)).toBeNull();
  });
});

describe('fault: reset', () => {
  it('destroys the connection of an HTTP call', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    backend.admin.injectFault('task_register', { kind: 'reset' });
    await expect(postTaskRegistration(backend.baseUrl, alice.accessToken, key, agentRuntimeId)).rejects.toThrow(
      TypeError,
    );
    expect(await backend.admin.tasks()).toEqual([]);
  });

  it('destroys the connection of a WebSocket handshake', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    backend.admin.injectFault('responses_ws', { kind: 'reset' });
    expect((await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`)).kind).toBe('error');
  });
});

describe('fault: tamper_sealed_box', () => {
  it('registers the task but answers a sealed box the agent cannot open', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    backend.admin.injectFault('task_register', { kind: 'tamper_sealed_box' });
    const response = await postTaskRegistration(backend.baseUrl, alice.accessToken, key, agentRuntimeId);
    expect(response.status).toBe(200);
    const { encrypted_task_id } = RegisterTaskResponse.parse(await response.json());
    let error: unknown;
    try {
      openSealedTaskId(key, encrypted_task_id);
    } catch (caught) {
      error = caught;
    }
    expect(CryptoError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TASK_ID_DECRYPT_FAILED', message: 'failed to decrypt encrypted task id' });
    expect(await backend.admin.tasks()).toHaveLength(1);
  });
});

describe('invalid faults', () => {
  it.each([
    ['missing_biscuit on agent_register', 'agent_register', { kind: 'missing_biscuit' }],
    ['tamper_sealed_box on responses', 'responses', { kind: 'tamper_sealed_box' }],
    ['response_failed on task_register (it has no stream)', 'task_register', { kind: 'response_failed' }],
    ['an unknown endpoint', 'nowhere', { kind: 'hang' }],
    ['an unknown kind', 'biscuit', { kind: 'explode' }],
    ['a status outside 200-599', 'biscuit', { kind: 'status', status: 700 }],
    ['a negative delay', 'biscuit', { kind: 'delay', delayMs: -1 }],
  ])('refuses %s with FAULT_INVALID', async (_name, endpoint, fault) => {
    await using backend = await startReferenceBackend({ users: [alice] });
    let error: unknown;
    try {
      backend.admin.injectFault(endpoint as never, fault as never);
    } catch (caught) {
      error = caught;
    }
    expect(BackendError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'FAULT_INVALID' });
    expect(backend.admin.faults()).toEqual([]);
  });

  it('refuses times below 1', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    expect(() => {
      backend.admin.injectFault('biscuit', { kind: 'hang' }, { times: 0 });
    }).toThrow('times must be a positive integer');
  });
});
