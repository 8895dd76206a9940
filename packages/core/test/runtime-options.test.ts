import { describe, expect, it } from 'vitest';
import { MemoryAuthSource } from '../src/stores/memory-auth-source.js';
import { MemoryIdentityStore } from '../src/stores/memory-identity-store.js';
import { MemoryRolloutStore } from '../src/stores/memory-rollout-store.js';
import { AgentIdentityRuntime } from '../src/runtime/runtime.js';
import { ALICE, loginOf } from './support/users.js';

function runtimeOn(baseUrl: string, fetch: typeof globalThis.fetch): AgentIdentityRuntime {
  return new AgentIdentityRuntime({
    useAgentIdentity: true,
    baseUrl,
    authSource: new MemoryAuthSource(loginOf(ALICE)),
    identityStore: new MemoryIdentityStore(),
    rolloutStore: new MemoryRolloutStore(),
    fetch,
  });
}

describe('options.baseUrl', () => {
  it('with credentials (user:password@): refused at once, never echoed, nothing sent (issue 11 item 13)', () => {
    const sent: unknown[] = [];
    const fetch: typeof globalThis.fetch = (input) => {
      sent.push(input);
      return Promise.reject(new Error('not expected'));
    };

    expect(() => runtimeOn('http://user:hunter2@127.0.0.1:1/backend-api', fetch)).toThrow(
      expect.objectContaining({
        code: 'OPTIONS_INVALID',
        message:
          'options.baseUrl must not carry credentials (user:password@), got "http://***@127.0.0.1:1/backend-api"',
      }),
    );
    expect(() => runtimeOn('ftp://user:hunter2@127.0.0.1', fetch)).toThrow(
      expect.objectContaining({
        code: 'OPTIONS_INVALID',
        message: 'options.baseUrl must be an http(s) URL, got "ftp://***@127.0.0.1"',
      }),
    );
    expect(sent).toEqual([]);
  });
});
