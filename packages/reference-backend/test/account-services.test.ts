import { CHATGPT_ACCOUNT_ID_HEADER } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import { registerCurrentAgentWithTask } from './current-profile-client.js';
import { alice, errorOf } from './test-users.js';

describe('the account services a current Codex reads at start (wham/settings/user, wham/accounts/check)', () => {
  let backend: ReferenceBackend | undefined;
  afterEach(async () => {
    await backend?.close();
  });

  it('answers a ChatGPT login (Bearer) and a JWT identity (AgentAssertion) alike, under pathPrefix', async () => {
    backend = await startReferenceBackend({ users: [alice], pathPrefix: '/backend-api' });
    const bearer = { authorization: `Bearer ${alice.accessToken}`, [CHATGPT_ACCOUNT_ID_HEADER]: alice.accountId };
    const settings = await fetch(`${backend.baseUrl}/wham/settings/user`, { headers: bearer });
    expect(settings.status).toBe(200);
    expect(await settings.json()).toEqual({ commit_attribution_enabled: false });

    const agent = await registerCurrentAgentWithTask(backend.authApiUrl, alice.accessToken);
    const asAgent = { authorization: agent.assertion(), [CHATGPT_ACCOUNT_ID_HEADER]: alice.accountId };
    const accounts = await fetch(`${backend.baseUrl}/wham/accounts/check`, { headers: asAgent });
    expect(accounts.status).toBe(200);
    expect(await accounts.json()).toMatchObject({ account_ordering: [alice.accountId] });
    expect(backend.admin.requests().map((request) => [request.path, request.auth])).toEqual([
      ['/backend-api/wham/settings/user', 'bearer'],
      ['/backend-api/wham/accounts/check', 'agent_assertion'],
    ]);
  });

  it('refuses a call without credentials with the downstream 401', async () => {
    backend = await startReferenceBackend({ users: [alice], pathPrefix: '/backend-api' });
    const response = await fetch(`${backend.baseUrl}/wham/settings/user`);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('missing_authorization');
  });
});
