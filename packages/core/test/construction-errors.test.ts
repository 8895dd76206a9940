import { describe, expect, it } from 'vitest';
import {
  AuthFileLoginSource,
  CoreError,
  createAgentIdentityRuntime,
  FileIdentityStore,
  FileRolloutStore,
  MemoryAuthSource,
  MemoryIdentityStore,
  MemoryRolloutStore,
  type RuntimeOptions,
} from '../src/index.js';

/** What the constructor threw: a `CoreError` with its code, or the test fails. */
function constructionError(construct: () => unknown): CoreError {
  try {
    construct();
  } catch (error) {
    if (CoreError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the constructor accepted the options');
}

const ports = () => ({
  authSource: new MemoryAuthSource(),
  identityStore: new MemoryIdentityStore(),
  rolloutStore: new MemoryRolloutStore(),
});

describe('options are checked at construction, with a coded CoreError (issue 12 item 9)', () => {
  it('new AuthFileLoginSource({}) is OPTIONS_INVALID, not a failure at the first read', () => {
    const error = constructionError(() => new AuthFileLoginSource({} as never));

    expect(error.code).toBe('OPTIONS_INVALID');
    expect(error.message).toBe('options.path must be a non-empty string, got undefined');
    expect(constructionError(() => new AuthFileLoginSource({ path: '' })).code).toBe('OPTIONS_INVALID');
    expect(constructionError(() => new AuthFileLoginSource({ path: 'auth.json', pollIntervalMs: 0 })).message).toBe(
      'options.pollIntervalMs must be a positive number, got 0',
    );
  });

  it('the file stores without their path or home are OPTIONS_INVALID', () => {
    expect(constructionError(() => new FileIdentityStore({} as never)).message).toBe(
      'options.path must be a non-empty string, got undefined',
    );
    expect(constructionError(() => new FileRolloutStore({ home: 42 } as never)).message).toBe(
      'options.home must be a non-empty string, got 42',
    );
  });

  it.each<[string, Partial<RuntimeOptions>, string]>([
    ['a missing port', { rolloutStore: undefined }, 'options.rolloutStore is required'],
    ['a null port', { authSource: null as never }, 'options.authSource is required'],
    ['a timeout that is not positive', { timeoutMs: -5 }, 'options.timeoutMs must be a positive number, got -5'],
    ['a base URL that is not one', { baseUrl: 'backend' }, 'options.baseUrl must be an absolute URL, got "backend"'],
    [
      'an unknown profile',
      { profile: 'codex-9' as never },
      'options.profile must be one of codex-0.122, codex-current, got "codex-9"',
    ],
    [
      'a retry policy that never tries',
      { retry: { maxAttempts: 0 } },
      'retry.maxAttempts must be an integer ≥ 1, got 0',
    ],
  ])('createAgentIdentityRuntime with %s is OPTIONS_INVALID', (_case, override, message) => {
    const error = constructionError(() => createAgentIdentityRuntime({ ...ports(), ...override }));

    expect(error.code).toBe('OPTIONS_INVALID');
    expect(error.message).toBe(message);
  });

  it('a bad option holding a string is described by kind, never echoed (it may be a token)', () => {
    const error = constructionError(() => new AuthFileLoginSource({ path: 'x', pollIntervalMs: 'sk-secret' as never }));

    expect(error.message).toBe('options.pollIntervalMs must be a positive number, got a string');
  });
});
