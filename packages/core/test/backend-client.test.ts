import { randomBytes } from 'node:crypto';
import { AgentSigningKey, sealBox, verifyTaskRegistration, AgentPublicKey } from '@agent-identity/crypto';
import { encodeBase64 } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendClient, type BackendClientOptions } from '../src/backend/backend-client.js';
import { BackendClock } from '../src/backend/backend-clock.js';
import { runtimeBillOfMaterials } from '../src/identity/bill-of-materials.js';
import { CoreError } from '../src/runtime/errors.js';
import { protocolProfile } from '../src/backend/protocol-profile.js';
import { resolveRetryPolicy } from '../src/backend/retry-policy.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { globalTimers } from '../src/runtime/timers.js';
import { CORE_VERSION } from '../src/runtime/version.js';
import { closeHarnesses, FAST_RETRY, Harness } from './support/harness.js';
import { ALICE, loginOf } from './support/users.js';

afterEach(closeHarnesses);

const alice = loginOf(ALICE);
const abom = runtimeBillOfMaterials({ harnessId: 'core-tests', sessionSource: 'exec', platform: 'darwin' });

/** The backend's clock over the local clock `now`, correcting (the runtime's default). */
function backendClock(harness: Harness, now: () => number = Date.now): BackendClock {
  return new BackendClock({ now, enabled: true, logger: harness.logger });
}

function clientFor(harness: Harness, overrides: Partial<BackendClientOptions> = {}): BackendClient {
  return new BackendClient({
    baseUrl: harness.backend.baseUrl,
    authApiUrl: harness.backend.baseUrl,
    profile: protocolProfile('codex-0.122'),
    fetch: harness.recording.fetch,
    clock: backendClock(harness),
    randomBytes,
    timers: globalTimers,
    timeoutMs: 15_000,
    retry: resolveRetryPolicy(FAST_RETRY),
    logger: harness.logger,
    signal: new AbortController().signal,
    ...overrides,
  });
}

/** A registered agent to register tasks for. */
async function registeredAgent(client: BackendClient): Promise<{ agentRuntimeId: string; key: AgentSigningKey }> {
  const key = AgentSigningKey.generate();
  return { agentRuntimeId: await client.registerAgent(alice, key, abom), key };
}

async function failure(promise: Promise<unknown>): Promise<CoreError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!CoreError.isInstance(error)) throw new Error(`expected a CoreError, got ${String(error)}`);
  return error;
}

describe('biscuit (SPEC §3.2)', () => {
  it('is minted with the bearer token, a codex request id and the exact method and URL of the call it is for', async () => {
    const harness = await Harness.start();
    const key = AgentSigningKey.generate();
    await clientFor(harness).registerAgent(alice, key, abom);

    const [biscuitCall, registerCall] = harness.recording.calls;
    const registerUrl = `${harness.backend.baseUrl}/v1/agent/register`;
    expect(biscuitCall?.method).toBe('GET');
    expect(biscuitCall?.url).toBe(`${harness.backend.baseUrl}/authenticate_app_v2`);
    expect(biscuitCall?.headers.get('authorization')).toBe(`Bearer ${ALICE.accessToken}`);
    expect(biscuitCall?.headers.get('x-request-id')).toMatch(/^codex-agent-identity-[A-Za-z0-9_-]{22}$/);
    expect(biscuitCall?.headers.get('x-original-method')).toBe('POST');
    expect(biscuitCall?.headers.get('x-original-url')).toBe(registerUrl);

    expect(registerCall?.method).toBe('POST');
    expect(registerCall?.url).toBe(registerUrl);
    expect(registerCall?.headers.get('x-openai-authorization')).toBe(harness.recording.biscuits[0]);
    expect(registerCall?.headers.has('authorization')).toBe(false);
    expect(JSON.parse(registerCall?.body ?? '')).toEqual({
      abom: { agent_version: CORE_VERSION, agent_harness_id: 'core-tests', running_location: 'exec-macos' },
      agent_public_key: key.sshPublicKey,
      capabilities: [],
    });
  });

  it('uses a fresh random request id for every biscuit', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    await client.mintBiscuit(alice, 'POST', `${harness.backend.baseUrl}/v1/agent/register`);
    await client.mintBiscuit(alice, 'POST', `${harness.backend.baseUrl}/v1/agent/register`);
    const ids = harness.recording.calls.map((call) => call.headers.get('x-request-id'));
    expect(new Set(ids).size).toBe(2);
  });

  it('a 2xx without x-openai-authorization fails with the SPEC text, not retried', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('biscuit', { kind: 'missing_biscuit' });
    const error = await failure(clientFor(harness).registerAgent(alice, AgentSigningKey.generate(), abom));
    expect(error.code).toBe('BISCUIT_MISSING_HEADER');
    expect(error.message).toBe('agent identity biscuit response did not include x-openai-authorization');
    expect(harness.recording.calls).toHaveLength(1);
  });

  it('a non-2xx fails with the status, URL and body', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('biscuit', { kind: 'status', status: 403, body: 'no biscuit for you' });
    const error = await failure(clientFor(harness).registerAgent(alice, AgentSigningKey.generate(), abom));
    expect(error.code).toBe('BISCUIT_REJECTED');
    expect(error.message).toBe(
      `agent identity biscuit minting failed with status 403 from ${harness.backend.baseUrl}/authenticate_app_v2: no biscuit for you`,
    );
    expect(error.status).toBe(403);
  });

  it('a broken connection fails with "failed to send" and the URL', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('biscuit', { kind: 'reset' }, { times: 3 });
    const error = await failure(clientFor(harness).registerAgent(alice, AgentSigningKey.generate(), abom));
    expect(error.code).toBe('BISCUIT_SEND_FAILED');
    expect(error.message).toBe(
      `failed to send agent identity biscuit request to ${harness.backend.baseUrl}/authenticate_app_v2`,
    );
    expect(error.isRetryable).toBe(true);
  });
});

describe('identity registration (SPEC §3.3)', () => {
  it('returns the backend agent_runtime_id of the registered public key', async () => {
    const harness = await Harness.start();
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await clientFor(harness).registerAgent(alice, key, abom);
    const [agent] = await harness.backend.admin.agents();
    expect(agent?.agentRuntimeId).toBe(agentRuntimeId);
    expect(agent?.publicKey).toBe(key.sshPublicKey);
    expect(agent?.userId).toBe(ALICE.userId);
  });

  it('works under a base URL with a /backend-api prefix and a trailing slash', async () => {
    const harness = await Harness.start({ backend: { pathPrefix: '/backend-api' } });
    const runtime = harness.runtime({ baseUrl: `${harness.backend.baseUrl}/` });
    const thread = await runtime.startThread();
    await thread.prewarmed;
    expect(thread.task).toBeDefined();
    const urls = harness.recording.calls.map((call) => call.url);
    const origin = harness.backend.url;
    expect(new Set(urls)).toEqual(
      new Set([
        `${origin}/backend-api/authenticate_app_v2`,
        `${origin}/backend-api/v1/agent/register`,
        `${origin}/backend-api/v1/agent/${thread.task?.agentRuntimeId ?? ''}/task/register`,
      ]),
    );
    expect(harness.recording.callsTo('/authenticate_app_v2').map((call) => call.headers.get('x-original-url'))).toEqual(
      [
        `${origin}/backend-api/v1/agent/register`,
        `${origin}/backend-api/v1/agent/${thread.task?.agentRuntimeId ?? ''}/task/register`,
      ],
    );
  });

  it('an unparsable answer fails with "failed to parse", not retried', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('agent_register', { kind: 'garbage' });
    const error = await failure(clientFor(harness).registerAgent(alice, AgentSigningKey.generate(), abom));
    expect(error.code).toBe('IDENTITY_RESPONSE_INVALID');
    expect(error.message).toBe(
      `failed to parse agent identity response from ${harness.backend.baseUrl}/v1/agent/register`,
    );
    expect(harness.recording.callsTo('/v1/agent/register')).toHaveLength(1);
  });

  it('a 2xx without agent_runtime_id fails with "failed to parse"', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('agent_register', { kind: 'status', status: 200, body: { agent_id: 'x' } });
    const error = await failure(clientFor(harness).registerAgent(alice, AgentSigningKey.generate(), abom));
    expect(error.message).toBe(
      `failed to parse agent identity response from ${harness.backend.baseUrl}/v1/agent/register`,
    );
  });

  it('a non-2xx fails with the status, URL and body', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('agent_register', { kind: 'status', status: 409, body: 'conflict' });
    const error = await failure(clientFor(harness).registerAgent(alice, AgentSigningKey.generate(), abom));
    expect(error.code).toBe('IDENTITY_REGISTRATION_REJECTED');
    expect(error.message).toBe(
      `agent identity registration failed with status 409 from ${harness.backend.baseUrl}/v1/agent/register: conflict`,
    );
  });

  it('a broken connection fails with "failed to send" and the URL', async () => {
    const harness = await Harness.start();
    harness.backend.admin.injectFault('agent_register', { kind: 'reset' }, { times: 3 });
    const error = await failure(clientFor(harness).registerAgent(alice, AgentSigningKey.generate(), abom));
    expect(error.code).toBe('IDENTITY_REGISTRATION_SEND_FAILED');
    expect(error.message).toBe(
      `failed to send agent identity registration request to ${harness.backend.baseUrl}/v1/agent/register`,
    );
  });
});

describe('task registration (SPEC §3.4–3.5)', () => {
  it('signs "runtime:timestamp", and decrypts the sealed task id the backend registered', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    const taskId = await client.registerTask(alice, agent);

    expect((await harness.backend.admin.tasks()).map((task) => task.taskId)).toEqual([taskId]);
    const [call] = harness.recording.callsTo('/task/register');
    expect(call?.url).toBe(`${harness.backend.baseUrl}/v1/agent/${agent.agentRuntimeId}/task/register`);
    const body = JSON.parse(call?.body ?? '') as { signature: string; timestamp: string };
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const publicKey = AgentPublicKey.fromRaw(agent.key.publicKey);
    expect(verifyTaskRegistration(publicKey, agent.agentRuntimeId, body.timestamp, body.signature)).toBe(true);
    expect(call?.headers.get('x-openai-authorization')).toBe(harness.recording.biscuits.at(-1));
  });

  it('an unparsable answer fails with "failed to parse", not retried', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'garbage' });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.code).toBe('TASK_RESPONSE_INVALID');
    expect(error.message).toBe(
      `failed to parse agent task response from ${harness.backend.baseUrl}/v1/agent/${agent.agentRuntimeId}/task/register`,
    );
    expect(harness.recording.callsTo('/task/register')).toHaveLength(1);
  });

  it('a 2xx without encrypted_task_id fails with "failed to parse"', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 200, body: { task_id: 'plain' } });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.code).toBe('TASK_RESPONSE_INVALID');
  });

  it('a non-2xx fails with the status, URL and body', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 400, body: 'bad task' });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.code).toBe('TASK_REGISTRATION_REJECTED');
    expect(error.message).toBe(
      `agent task registration failed with status 400 from ${harness.backend.baseUrl}/v1/agent/${agent.agentRuntimeId}/task/register: bad task`,
    );
  });

  it('a broken connection fails with "failed to send" and the URL', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'reset' }, { times: 3 });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.code).toBe('TASK_REGISTRATION_SEND_FAILED');
    expect(error.message).toBe(
      `failed to send agent task registration request to ${harness.backend.baseUrl}/v1/agent/${agent.agentRuntimeId}/task/register`,
    );
  });

  it('a tampered sealed box fails with "failed to decrypt encrypted task id", not retried', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'tamper_sealed_box' });
    const error: unknown = await client.registerTask(alice, agent).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'TASK_ID_DECRYPT_FAILED', message: 'failed to decrypt encrypted task id' });
    expect(harness.recording.callsTo('/task/register')).toHaveLength(1);
  });

  it('an encrypted_task_id that is not base64 fails with the SPEC text', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', {
      kind: 'status',
      status: 200,
      body: { encrypted_task_id: 'not base64!' },
    });
    const error: unknown = await client.registerTask(alice, agent).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'TASK_ID_NOT_BASE64', message: 'encrypted task id is not valid base64' });
  });

  it('a sealed task id that is not UTF-8 fails with the SPEC text', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    const sealed = sealBox(Uint8Array.of(0x74, 0xff, 0xfe), agent.key.x25519PublicKey());
    harness.backend.admin.injectFault('task_register', {
      kind: 'status',
      status: 200,
      body: { encrypted_task_id: encodeBase64(sealed) },
    });
    const error: unknown = await client.registerTask(alice, agent).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'TASK_ID_NOT_UTF8', message: 'decrypted task id is not valid UTF-8' });
  });
});

describe('error bodies', () => {
  it('are cut to 1 024 characters and never quote the access token or the biscuit', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', {
      kind: 'status',
      status: 400,
      body: `you sent ${ALICE.accessToken}; ${'x'.repeat(5_000)}`,
    });
    const error = await failure(client.registerTask(alice, agent));
    const body = error.message.slice(error.message.indexOf(': ') + 2);
    expect(body).toBe(`you sent [redacted]; ${'x'.repeat(1024 - 'you sent [redacted]; '.length)}…`);
    expect(error.message).not.toContain(ALICE.accessToken);
  });
});

describe('timeout', () => {
  it('a hung call fails with "failed to send" after the default 15 s', async () => {
    const harness = await Harness.start();
    const clock = new ManualClock();
    const client = clientFor(harness, {
      clock: backendClock(harness, clock.now),
      timers: clock.timers,
      retry: resolveRetryPolicy({ maxRetries: 0 }),
    });
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'hang' });
    harness.recording.beforeCall = (call) => {
      // the call's timer is armed before it goes out: fire it once the hung request is on its way
      if (call.url.endsWith('/task/register')) {
        expect(clock.pendingDelays).toEqual([15_000]);
        setImmediate(() => {
          clock.advance(15_000);
        });
      }
    };
    const error = await failure(client.registerTask(alice, agent));
    expect(error.code).toBe('TASK_REGISTRATION_SEND_FAILED');
    expect(error.message).toBe(
      `failed to send agent task registration request to ${harness.backend.baseUrl}/v1/agent/${agent.agentRuntimeId}/task/register`,
    );
    expect((error.cause as Error).message).toBe('no answer within 15000 ms');
  });
});

describe('retry policy (beyond Codex)', () => {
  it('500 then success: two attempts, each with its own biscuit', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    const before = harness.counters();
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 500 });
    await client.registerTask(alice, agent);
    const after = harness.counters();
    expect(after.biscuitsMinted - before.biscuitsMinted).toBe(2);
    expect(after.taskRegistrations - before.taskRegistrations).toBe(1);
    const taskCalls = harness.recording.callsTo('/task/register');
    expect(taskCalls).toHaveLength(2);
    expect(taskCalls[0]?.headers.get('x-openai-authorization')).not.toBe(
      taskCalls[1]?.headers.get('x-openai-authorization'),
    );
  });

  it('429 with Retry-After: waits exactly that long before the next attempt', async () => {
    const harness = await Harness.start();
    const clock = new ManualClock();
    const client = clientFor(harness, {
      clock: backendClock(harness, clock.now),
      timers: clock.timers,
      retry: resolveRetryPolicy({}),
    });
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 429, retryAfterSeconds: 2 });
    const registered = client.registerTask(alice, agent);
    await clock.whenPending(2_000);
    expect(harness.recording.callsTo('/task/register')).toHaveLength(1);
    clock.advance(2_000);
    await registered;
    expect(harness.recording.callsTo('/task/register')).toHaveLength(2);
    expect(clock.scheduledDelays.filter((delay) => delay !== 15_000)).toEqual([2_000]);
  });

  it('a Retry-After longer than maxDelayMs is not waited for', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness, { retry: resolveRetryPolicy({ maxDelayMs: 5_000 }) });
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 503, retryAfterSeconds: 60 });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBe(60_000);
    expect(harness.recording.callsTo('/task/register')).toHaveLength(1);
  });

  it('400 is not retried', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 400 }, { times: 3 });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.isRetryable).toBe(false);
    expect(harness.recording.callsTo('/task/register')).toHaveLength(1);
  });

  it('a redirect is not followed (the biscuit is bound to the URL): it fails with its status, not retried', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 307, body: 'moved' });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.message).toBe(
      `agent task registration failed with status 307 from ${harness.backend.baseUrl}/v1/agent/${agent.agentRuntimeId}/task/register: moved`,
    );
    expect(harness.recording.callsTo('/task/register')).toHaveLength(1);
  });

  it('gives up after maxRetries retries, with the last error', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 502 }, { times: 5 });
    const error = await failure(client.registerTask(alice, agent));
    expect(error.status).toBe(502);
    expect(harness.recording.callsTo('/task/register')).toHaveLength(3);
  });

  it('a failing biscuit is retried as part of the attempt', async () => {
    const harness = await Harness.start();
    const client = clientFor(harness);
    const agent = await registeredAgent(client);
    harness.backend.admin.injectFault('biscuit', { kind: 'status', status: 503 });
    await client.registerTask(alice, agent);
    expect(harness.recording.callsTo('/task/register')).toHaveLength(1);
    expect(harness.recording.callsTo('/authenticate_app_v2')).toHaveLength(3);
  });
});
