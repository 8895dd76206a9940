import {
  createAgentIdentityRuntime,
  MemoryAuthSource,
  MemoryIdentityStore,
  MemoryRolloutStore,
  type AgentThread,
} from '@agent-identity/core';
import { describe, expect, it } from 'vitest';
import { ApiBridgeError, createAgentFetch, type AgentFetchOptions } from '../src/index.js';

function optionsInvalid(message: string): (error: unknown) => boolean {
  return (error) => ApiBridgeError.isInstance(error) && error.code === 'OPTIONS_INVALID' && error.message === message;
}

describe('createAgentFetch checks its arguments when called, not at the first request (issue 12 item 9)', () => {
  it('without a thread: OPTIONS_INVALID', () => {
    expect(() => createAgentFetch(undefined as unknown as AgentThread)).toThrow(
      expect.objectContaining({ code: 'OPTIONS_INVALID' }),
    );
    let error: unknown;
    try {
      createAgentFetch({} as unknown as AgentThread);
    } catch (caught) {
      error = caught;
    }
    expect(error).toSatisfy(
      optionsInvalid('createAgentFetch needs the thread (runtime.startThread() or resumeThread())'),
    );
  });

  it.each<[AgentFetchOptions, string]>([
    [{ refusalReadTimeoutMs: 0 }, 'options.refusalReadTimeoutMs must be a positive number'],
    [{ refusalReadTimeoutMs: Number.POSITIVE_INFINITY }, 'options.refusalReadTimeoutMs must be a positive number'],
    [{ fetch: 'https://example.com' as never }, 'options.fetch must be a function'],
  ])('with %o: OPTIONS_INVALID', async (options, message) => {
    // The feature off: a real thread, and no HTTP at all.
    const runtime = createAgentIdentityRuntime({
      authSource: new MemoryAuthSource(),
      identityStore: new MemoryIdentityStore(),
      rolloutStore: new MemoryRolloutStore(),
    });
    try {
      const thread = await runtime.startThread();
      let error: unknown;
      try {
        createAgentFetch(thread, options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toSatisfy(optionsInvalid(message));
    } finally {
      await runtime.close();
    }
  });
});
