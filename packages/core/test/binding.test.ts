import { toUnionAgentIdentityRecord, type AgentIdentityRecord } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { deriveBinding, recordMatchesBinding } from '../src/identity/binding.js';

const login = { mode: 'chatgpt', accessToken: 'token', accountId: 'account-1', userId: 'user-1' } as const;

function record(workspaceId: string, userId?: string | null): AgentIdentityRecord {
  return toUnionAgentIdentityRecord({
    workspace_id: workspaceId,
    ...(userId === undefined ? {} : { chatgpt_user_id: userId }),
    agent_runtime_id: 'agent-1',
    agent_private_key: 'key',
    registered_at: '2026-04-19T22:45:28Z',
  });
}

describe('deriveBinding (SPEC §2.3)', () => {
  it('a ChatGPT login binds to its account and user', () => {
    expect(deriveBinding(login, undefined)).toEqual({
      bindingId: 'chatgpt-account-account-1',
      chatgptAccountId: 'account-1',
      chatgptUserId: 'user-1',
    });
  });

  it('a non-empty forced workspace wins over the login account; an empty one does not', () => {
    expect(deriveBinding(login, 'account-forced')?.bindingId).toBe('chatgpt-account-account-forced');
    expect(deriveBinding(login, '')?.bindingId).toBe('chatgpt-account-account-1');
  });

  it('a login without an account has a binding only through a forced workspace', () => {
    const noAccount = { ...login, accountId: '' };
    expect(deriveBinding(noAccount, undefined)).toBeUndefined();
    expect(deriveBinding({ ...login, accountId: undefined }, undefined)).toBeUndefined();
    expect(deriveBinding(noAccount, 'account-forced')?.chatgptAccountId).toBe('account-forced');
  });

  it('an empty user id is no user id', () => {
    expect(deriveBinding({ ...login, userId: '' }, undefined)?.chatgptUserId).toBeUndefined();
  });

  it('API-key auth and no login have no binding', () => {
    expect(deriveBinding({ mode: 'api_key', apiKey: 'sk' }, 'account-forced')).toBeUndefined();
    expect(deriveBinding(undefined, 'account-forced')).toBeUndefined();
  });
});

describe('recordMatchesBinding (SPEC §2.3)', () => {
  const binding = deriveBinding(login, undefined)!;
  const withoutUser = deriveBinding({ ...login, userId: undefined }, undefined)!;

  it('same workspace and user match; another workspace never does', () => {
    expect(recordMatchesBinding(record('account-1', 'user-1'), binding)).toBe(true);
    expect(recordMatchesBinding(record('account-2', 'user-1'), binding)).toBe(false);
    expect(recordMatchesBinding(record('account-2', 'user-1'), withoutUser)).toBe(false);
  });

  it('a binding with a user id needs the same user on the record', () => {
    expect(recordMatchesBinding(record('account-1', 'user-2'), binding)).toBe(false);
    expect(recordMatchesBinding(record('account-1', null), binding)).toBe(false);
    expect(recordMatchesBinding(record('account-1'), binding)).toBe(false);
  });

  it('a binding without a user id accepts any record of its workspace', () => {
    expect(recordMatchesBinding(record('account-1', 'user-2'), withoutUser)).toBe(true);
    expect(recordMatchesBinding(record('account-1', null), withoutUser)).toBe(true);
    expect(recordMatchesBinding(record('account-1'), withoutUser)).toBe(true);
  });
});
