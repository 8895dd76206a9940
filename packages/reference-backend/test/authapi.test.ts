import { AgentSigningKey } from '@agent-identity/crypto';
import { agentRegisterUrl, RegisterAgentResponse } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import {
  currentRegistrationBody,
  postAuthApiAgentRegistration,
  postAuthApiTaskRegistration,
  registerCurrentAgentWithTask,
  taskIdOf,
} from './current-profile-client.js';
import { postWithBiscuit, registerAgentWithTask } from './protocol-client.js';
import { alice, bob, errorOf } from './test-users.js';

const nowMs = Date.parse('2026-12-03T08:00:00Z');

describe('the AuthAPI of the current profile (CODEX-CURRENT.md)', () => {
  let backend: ReferenceBackend | undefined;
  afterEach(async () => {
    await backend?.close();
  });

  async function start(options: Parameters<typeof startReferenceBackend>[0] = {}): Promise<ReferenceBackend> {
    backend = await startReferenceBackend({ users: [alice, bob], now: () => nowMs, ...options });
    return backend;
  }

  async function registerWithBearer(server: ReferenceBackend, key: AgentSigningKey): Promise<string> {
    const response = await postAuthApiAgentRegistration(
      server.authApiUrl,
      `Bearer ${alice.accessToken}`,
      currentRegistrationBody(key),
    );
    expect(response.status).toBe(200);
    return RegisterAgentResponse.parse(await response.json()).agent_runtime_id;
  }

  it('lives under authApiPathPrefix, /api/accounts by default', async () => {
    const server = await start();
    expect(server.authApiUrl).toBe(`${server.url}/api/accounts`);
    await server.close();
    const other = await start({ authApiPathPrefix: '/auth/', now: Date.now });
    expect(other.authApiUrl).toBe(`${other.url}/auth`);
    const agent = await registerCurrentAgentWithTask(other.authApiUrl, alice.accessToken);
    expect(agent.agentRuntimeId).toMatch(/^agent-[0-9a-f]{32}$/);
  });

  it('registers an identity with the login bearer token and no biscuit, for the token user', async () => {
    const server = await start();
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerWithBearer(server, key);
    expect(await server.admin.agents()).toMatchObject([
      {
        agentRuntimeId,
        publicKey: key.sshPublicKey,
        accountId: alice.accountId,
        userId: alice.userId,
        capabilities: ['responsesapi'],
      },
    ]);
  });

  it('registers a task with no auth header and answers the plaintext task_id by default', async () => {
    const server = await start();
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerWithBearer(server, key);
    const response = await postAuthApiTaskRegistration(server.authApiUrl, key, agentRuntimeId, nowMs);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['task_id']);
    expect(await server.admin.tasks()).toMatchObject([{ taskId: body.task_id, agentRuntimeId, revokedAt: null }]);
  });

  it('answers the sealed encrypted_task_id when configured, or when the admin switches it at run time', async () => {
    const sealed = await start({ taskIdAnswer: 'sealed' });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerWithBearer(sealed, key);
    const first = await postAuthApiTaskRegistration(sealed.authApiUrl, key, agentRuntimeId, nowMs);
    const firstBody = (await first.clone().json()) as Record<string, unknown>;
    expect(Object.keys(firstBody)).toEqual(['encrypted_task_id']);
    expect(await taskIdOf(first, key)).toBe((await sealed.admin.tasks())[0]?.taskId);

    sealed.admin.setTaskIdAnswer('plaintext');
    expect(sealed.admin.taskIdAnswer()).toBe('plaintext');
    const second = await postAuthApiTaskRegistration(sealed.authApiUrl, key, agentRuntimeId, nowMs);
    expect(Object.keys((await second.json()) as object)).toEqual(['task_id']);

    const overHttp = await fetch(`${sealed.url}/_admin/task-id-answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ taskIdAnswer: 'sealed' }),
    });
    expect(await overHttp.json()).toEqual({ taskIdAnswer: 'sealed' });
    const third = await postAuthApiTaskRegistration(sealed.authApiUrl, key, agentRuntimeId, nowMs);
    expect(Object.keys((await third.json()) as object)).toEqual(['encrypted_task_id']);

    await sealed.admin.reset();
    expect(sealed.admin.taskIdAnswer()).toBe('sealed');
  });

  it('counts registrations by the profile whose routes took them', async () => {
    const server = await start({ pathPrefix: '/backend-api', now: Date.now });
    await registerCurrentAgentWithTask(server.authApiUrl, alice.accessToken);
    await registerAgentWithTask(server.baseUrl, bob.accessToken);
    const counters = server.admin.counters();
    expect(counters.registrationsByProfile).toEqual({
      'codex-0.122': { agents: 1, tasks: 1 },
      'codex-current': { agents: 1, tasks: 1 },
    });
    expect(counters.agentRegistrations).toBe(2);
    expect(counters.taskRegistrations).toBe(2);
    expect(counters.biscuitsMinted).toBe(2);
  });

  it('refuses registration without a known bearer token: 401 missing_authorization, invalid_token', async () => {
    const server = await start();
    const body = currentRegistrationBody(AgentSigningKey.generate());
    const missing = await postAuthApiAgentRegistration(server.authApiUrl, undefined, body);
    expect(missing.status).toBe(401);
    expect((await errorOf(missing)).code).toBe('missing_authorization');
    const unknown = await postAuthApiAgentRegistration(server.authApiUrl, 'Bearer not-a-token', body);
    expect(unknown.status).toBe(401);
    expect(await errorOf(unknown)).toEqual({ code: 'invalid_token', message: 'access token is not valid' });
    expect(await server.admin.agents()).toEqual([]);
  });

  it('refuses a body of the wrong shape with 400 invalid_request naming the field', async () => {
    const server = await start();
    const key = AgentSigningKey.generate();
    const response = await postAuthApiAgentRegistration(server.authApiUrl, `Bearer ${alice.accessToken}`, {
      ...(currentRegistrationBody(key) as object),
      ttl: 'forever',
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      code: 'invalid_request',
      message: 'body field ttl is missing or invalid',
    });
  });

  it('checks the task signature and its window like SPEC §3.4: bad_signature, expired, from_future', async () => {
    const server = await start();
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerWithBearer(server, key);
    const forged = await postAuthApiTaskRegistration(
      server.authApiUrl,
      AgentSigningKey.generate(),
      agentRuntimeId,
      nowMs,
    );
    expect(forged.status).toBe(401);
    expect((await errorOf(forged)).code).toBe('bad_signature');
    const stale = await postAuthApiTaskRegistration(server.authApiUrl, key, agentRuntimeId, nowMs - 301_000);
    expect((await errorOf(stale)).code).toBe('expired');
    const early = await postAuthApiTaskRegistration(server.authApiUrl, key, agentRuntimeId, nowMs + 301_000);
    expect((await errorOf(early)).code).toBe('from_future');
    expect(await server.admin.tasks()).toEqual([]);
  });

  it('answers 404 unknown_agent for an unknown or revoked agent', async () => {
    const server = await start();
    const key = AgentSigningKey.generate();
    const unknown = await postAuthApiTaskRegistration(server.authApiUrl, key, 'agent-nobody', nowMs);
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('unknown_agent');
    const agentRuntimeId = await registerWithBearer(server, key);
    await server.admin.revokeAgent(agentRuntimeId);
    const revoked = await postAuthApiTaskRegistration(server.authApiUrl, key, agentRuntimeId, nowMs);
    expect(revoked.status).toBe(404);
    expect((await errorOf(revoked)).code).toBe('unknown_agent');
  });

  it('keeps the two profiles apart: a biscuit call at the AuthAPI is refused, a bearer call at the biscuit route too', async () => {
    const server = await start({ pathPrefix: '/backend-api' });
    const key = AgentSigningKey.generate();
    const withBiscuit = await postWithBiscuit(
      server.baseUrl,
      alice.accessToken,
      agentRegisterUrl(server.authApiUrl),
      currentRegistrationBody(key),
    );
    expect(withBiscuit.status).toBe(401);
    expect((await errorOf(withBiscuit)).code).toBe('missing_authorization');
    const bearerAtBiscuitRoute = await postAuthApiAgentRegistration(
      server.baseUrl,
      `Bearer ${alice.accessToken}`,
      currentRegistrationBody(key),
    );
    expect(bearerAtBiscuitRoute.status).toBe(401);
    expect((await errorOf(bearerAtBiscuitRoute)).code).toBe('missing_biscuit');
    expect(await server.admin.agents()).toEqual([]);
  });

  it('refuses a pathPrefix equal to authApiPathPrefix', async () => {
    await expect(startReferenceBackend({ pathPrefix: '/api/accounts' })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
      message: 'authApiPathPrefix must differ from pathPrefix',
    });
  });

  it('plays queued faults on the AuthAPI routes (authapi_agent_register, authapi_task_register)', async () => {
    const server = await start();
    server.admin.injectFault('authapi_agent_register', { kind: 'status', status: 503, retryAfterSeconds: 1 });
    const key = AgentSigningKey.generate();
    const refused = await postAuthApiAgentRegistration(
      server.authApiUrl,
      `Bearer ${alice.accessToken}`,
      currentRegistrationBody(key),
    );
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const agentRuntimeId = await registerWithBearer(server, key);
    server.admin.injectFault('authapi_task_register', { kind: 'status', status: 429 });
    expect((await postAuthApiTaskRegistration(server.authApiUrl, key, agentRuntimeId, nowMs)).status).toBe(429);
    expect(server.admin.counters().faultsApplied).toEqual({ authapi_agent_register: 1, authapi_task_register: 1 });
  });
});
