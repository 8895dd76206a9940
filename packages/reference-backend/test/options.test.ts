import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BackendError, startReferenceBackend, type ReferenceBackendOptions } from '../src/index.js';
import { registerAgentWithTask } from './protocol-client.js';
import { alice } from './test-users.js';

async function startError(options: ReferenceBackendOptions): Promise<unknown> {
  try {
    await (await startReferenceBackend(options)).close();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('startReferenceBackend options', () => {
  it.each<[string, ReferenceBackendOptions, string]>([
    ['no users', { users: [] }, 'users must not be empty'],
    [
      'two users with one token',
      { users: [alice, { ...alice, userId: 'user-2' }] },
      'users[1] repeats the access token of another user',
    ],
    [
      'a user without account',
      { users: [{ ...alice, accountId: '' }] },
      'users[0].accountId must be a non-empty string',
    ],
    ['a port out of range', { port: 70_000 }, 'port must be an integer from 0 to 65535'],
    ['a zero biscuit ttl', { biscuitTtlMs: 0 }, 'biscuitTtlMs must be an integer from 1 to 86400000'],
    ['a relative path prefix', { pathPrefix: 'backend-api' }, 'pathPrefix must be empty or a path starting with "/"'],
  ])('refuses %s with OPTIONS_INVALID', async (_name, options, message) => {
    const error = await startError(options);
    expect(BackendError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OPTIONS_INVALID', message });
  });

  it('reports a port in use as LISTEN_FAILED naming the address, not as an options error (issue 12 item 9)', async () => {
    await using first = await startReferenceBackend({ users: [alice] });

    const error = await startError({ users: [alice], port: first.port });

    expect(BackendError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'LISTEN_FAILED',
      message: `cannot listen on 127.0.0.1:${first.port}: EADDRINUSE`,
      cause: expect.objectContaining({ code: 'EADDRINUSE' }) as unknown,
    });
  });

  it('never repeats an access token in an options error', async () => {
    const error = await startError({ users: [alice, { ...alice }] });
    expect(String(error)).not.toContain(alice.accessToken);
  });

  it('strips a trailing slash from the path prefix', async () => {
    await using backend = await startReferenceBackend({ pathPrefix: '/backend-api/' });
    expect(backend.baseUrl).toBe(`${backend.url}/backend-api`);
    expect(backend.websocketUrl).toBe(`${backend.url.replace('http:', 'ws:')}/backend-api/v1/responses`);
  });

  it('draws ids from the injected randomBytes', async () => {
    let counter = 0;
    const randomBytes = (n: number): Uint8Array => new Uint8Array(n).fill(++counter);
    await using backend = await startReferenceBackend({ users: [alice], randomBytes });
    const agent = await registerAgentWithTask(backend.baseUrl, alice.accessToken);
    expect(agent.agentRuntimeId).toMatch(/^agent-(0[1-9a-f]){16}$/);
    expect(agent.taskId).toMatch(/^task_(0[1-9a-f]){16}$/);
  });

  it('shows no access token when the backend is inspected', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    expect(inspect(backend, { depth: 10, showHidden: true })).not.toContain(alice.accessToken);
    expect(JSON.stringify(backend)).not.toContain(alice.accessToken);
  });
});
