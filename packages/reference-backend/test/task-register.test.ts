import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { AgentSigningKey, openSealedTaskId } from '@agent-identity/crypto';
import { RegisterTaskResponse } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { startReferenceBackend } from '../src/index.js';
import { postTaskRegistration, postWithBiscuit, registerAgent } from './protocol-client.js';
import { alice, bob, errorOf } from './test-users.js';

const startMs = Date.UTC(2026, 2, 23, 12);

describe('POST v1/agent/{id}/task/register', () => {
  it('answers a task id sealed to the agent key that only that key opens', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    const response = await postTaskRegistration(backend.baseUrl, alice.accessToken, key, agentRuntimeId);
    expect(response.status).toBe(200);
    const { encrypted_task_id } = RegisterTaskResponse.parse(await response.json());
    expect(openSealedTaskId(key, encrypted_task_id)).toBe((await backend.admin.tasks())[0]?.taskId);
    expect(() => openSealedTaskId(AgentSigningKey.generate(), encrypted_task_id)).toThrow(
      'failed to decrypt encrypted task id',
    );
  });

  it('404 unknown_agent for a runtime id that was never registered', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await postTaskRegistration(
      backend.baseUrl,
      alice.accessToken,
      AgentSigningKey.generate(),
      'agent-unknown',
    );
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('unknown_agent');
  });

  it('404 unknown_agent for a revoked agent', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    await backend.admin.revokeAgent(agentRuntimeId);
    const response = await postTaskRegistration(backend.baseUrl, alice.accessToken, key, agentRuntimeId);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('unknown_agent');
  });

  it('403 forbidden for an agent of another user', async () => {
    await using backend = await startReferenceBackend({ users: [alice, bob] });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    const response = await postTaskRegistration(backend.baseUrl, bob.accessToken, key, agentRuntimeId);
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('forbidden');
  });

  it('401 bad_signature for a signature by another key', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, AgentSigningKey.generate());
    const response = await postTaskRegistration(
      backend.baseUrl,
      alice.accessToken,
      AgentSigningKey.generate(),
      agentRuntimeId,
    );
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('bad_signature');
    expect(await backend.admin.tasks()).toEqual([]);
  });

  it.each([
    [-301, 'expired'],
    [301, 'from_future'],
  ])('401 for a timestamp %i s from the backend clock: %s', async (offsetSeconds, code) => {
    await using backend = await startReferenceBackend({ users: [alice], now: () => startMs });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    const response = await postTaskRegistration(
      backend.baseUrl,
      alice.accessToken,
      key,
      agentRuntimeId,
      startMs + offsetSeconds * 1000,
    );
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe(code);
  });

  it('accepts a timestamp 300 s off (the edge of the window)', async () => {
    await using backend = await startReferenceBackend({ users: [alice], now: () => startMs });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    const response = await postTaskRegistration(
      backend.baseUrl,
      alice.accessToken,
      key,
      agentRuntimeId,
      startMs - 300_000,
    );
    expect(response.status).toBe(200);
  });

  it('400 invalid_request for a timestamp that is not RFC 3339 to the second', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    const url = `${backend.baseUrl}/v1/agent/${agentRuntimeId}/task/register`;
    const response = await postWithBiscuit(backend.baseUrl, alice.accessToken, url, {
      signature: Buffer.alloc(64).toString('base64'),
      timestamp: new Date().toISOString(),
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_request');
  });

  it('400 invalid_request for a signature that is not base64 of 64 bytes', async () => {
    await using backend = await startReferenceBackend({ users: [alice], now: () => startMs });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);
    const url = `${backend.baseUrl}/v1/agent/${agentRuntimeId}/task/register`;
    const response = await postWithBiscuit(backend.baseUrl, alice.accessToken, url, {
      signature: 'c2hvcnQ=',
      timestamp: '2026-03-23T12:00:00Z',
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_request');
  });

  it('saves nothing when the answer cannot be sealed (SPEC §5: seal before saving)', async () => {
    // The injected entropy source fails once armed, at the second 32-byte draw: the first is the
    // biscuit of the registration call, the second the sealed box's ephemeral key, drawn after the
    // task id and before the task would be saved.
    let drawsBeforeFailure: number | null = null;
    const randomBytes = (n: number): Uint8Array => {
      if (drawsBeforeFailure !== null && n === 32) {
        if (drawsBeforeFailure === 0) throw new Error('entropy source unavailable');
        drawsBeforeFailure -= 1;
      }
      return nodeRandomBytes(n);
    };
    await using backend = await startReferenceBackend({ users: [alice], randomBytes });
    const key = AgentSigningKey.generate();
    const agentRuntimeId = await registerAgent(backend.baseUrl, alice.accessToken, key);

    drawsBeforeFailure = 1;
    const failed = await postTaskRegistration(backend.baseUrl, alice.accessToken, key, agentRuntimeId);
    expect(failed.status).toBe(500);
    expect(await backend.admin.tasks()).toEqual([]);
    expect(backend.admin.counters().taskRegistrations).toBe(0);

    drawsBeforeFailure = null;
    const retried = await postTaskRegistration(backend.baseUrl, alice.accessToken, key, agentRuntimeId);
    expect(retried.status).toBe(200);
    const { encrypted_task_id } = RegisterTaskResponse.parse(await retried.json());
    expect((await backend.admin.tasks()).map((task) => task.taskId)).toEqual([
      openSealedTaskId(key, encrypted_task_id),
    ]);
  });
});
