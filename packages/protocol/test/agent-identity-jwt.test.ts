import { describe, expect, it } from 'vitest';
import { AgentIdentityJwtClaims, agentIdentityJwksUrl } from '../src/index.js';

describe('agentIdentityJwksUrl', () => {
  it('is under /wham when the base contains /backend-api, else directly under the base', () => {
    expect(agentIdentityJwksUrl('https://chatgpt.com/backend-api')).toBe(
      'https://chatgpt.com/backend-api/wham/agent-identities/jwks',
    );
    expect(agentIdentityJwksUrl('http://127.0.0.1:1/backend-api/')).toBe(
      'http://127.0.0.1:1/backend-api/wham/agent-identities/jwks',
    );
    expect(agentIdentityJwksUrl('http://127.0.0.1:1/')).toBe('http://127.0.0.1:1/agent-identities/jwks');
  });
});

describe('AgentIdentityJwtClaims', () => {
  const claims = {
    agent_runtime_id: 'agent-1',
    agent_private_key: 'MFECAQEw',
    account_id: 'account-1',
    chatgpt_user_id: 'user-1',
    plan_type: 'plus',
    chatgpt_account_is_fedramp: false,
  };

  it('accepts the claims without an email and keeps unknown claims', () => {
    expect(AgentIdentityJwtClaims.parse({ ...claims, iss: 'x' })).toEqual({ ...claims, iss: 'x' });
  });

  it('refuses claims without a runtime id or with a non-boolean fedramp flag', () => {
    expect(AgentIdentityJwtClaims.safeParse({ ...claims, agent_runtime_id: '' }).success).toBe(false);
    expect(AgentIdentityJwtClaims.safeParse({ ...claims, chatgpt_account_is_fedramp: 'no' }).success).toBe(false);
  });
});
