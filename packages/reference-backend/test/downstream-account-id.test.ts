import { CHATGPT_ACCOUNT_ID_HEADER } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import { registerCurrentAgentWithTask } from './current-profile-client.js';
import { connectWebSocket, postResponses } from './protocol-client.js';
import { alice, bob, errorOf } from './test-users.js';

const mismatch = {
  code: 'account_mismatch',
  message: 'ChatGPT-Account-ID does not name the account of the agent or user that signed the request',
};

describe('ChatGPT-Account-ID beside the credentials (the current profile, CODEX-CURRENT.md)', () => {
  let backend: ReferenceBackend | undefined;
  afterEach(async () => {
    await backend?.close();
  });

  it('accepts an assertion with the agent account id over HTTP and WebSocket, and logs that it came along', async () => {
    backend = await startReferenceBackend({ users: [alice, bob] });
    const agent = await registerCurrentAgentWithTask(backend.authApiUrl, alice.accessToken);
    const headers = { [CHATGPT_ACCOUNT_ID_HEADER]: alice.accountId };
    const response = await postResponses(backend.responsesUrl, agent.assertion(), 'hi', headers);
    expect(response.status).toBe(200);
    await response.body?.cancel();
    const handshake = await connectWebSocket(backend.websocketUrl, agent.assertion(), headers);
    expect(handshake.kind).toBe('open');
    if (handshake.kind === 'open') handshake.socket.close();
    expect(backend.admin.requests()).toMatchObject([
      { transport: 'http', auth: 'agent_assertion', agentRuntimeId: agent.agentRuntimeId, accountIdHeader: true },
      { transport: 'ws', auth: 'agent_assertion', agentRuntimeId: agent.agentRuntimeId, accountIdHeader: true },
    ]);
  });

  it('refuses an assertion beside another account id with 401 account_mismatch, over HTTP and WebSocket', async () => {
    backend = await startReferenceBackend({ users: [alice, bob] });
    const agent = await registerCurrentAgentWithTask(backend.authApiUrl, alice.accessToken);
    const headers = { [CHATGPT_ACCOUNT_ID_HEADER]: bob.accountId };
    const response = await postResponses(backend.responsesUrl, agent.assertion(), 'hi', headers);
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual(mismatch);
    const handshake = await connectWebSocket(backend.websocketUrl, agent.assertion(), headers);
    expect(handshake).toMatchObject({ kind: 'refused', status: 401 });
    if (handshake.kind === 'refused')
      expect((JSON.parse(handshake.body) as { error: unknown }).error).toEqual(mismatch);
    expect(backend.admin.counters().downstream).toMatchObject({
      http: { accepted: 0, rejected: { account_mismatch: 1 } },
      ws: { accepted: 0, rejected: { account_mismatch: 1 } },
    });
  });

  it('checks a bearer call account id against the token user, and accepts calls without one', async () => {
    backend = await startReferenceBackend({ users: [alice, bob] });
    const own = await postResponses(backend.responsesUrl, `Bearer ${alice.accessToken}`, 'hi', {
      [CHATGPT_ACCOUNT_ID_HEADER]: alice.accountId,
    });
    expect(own.status).toBe(200);
    await own.body?.cancel();
    const other = await postResponses(backend.responsesUrl, `Bearer ${alice.accessToken}`, 'hi', {
      [CHATGPT_ACCOUNT_ID_HEADER]: bob.accountId,
    });
    expect(other.status).toBe(401);
    expect(await errorOf(other)).toEqual(mismatch);
    const agent = await registerCurrentAgentWithTask(backend.authApiUrl, alice.accessToken);
    const without = await postResponses(backend.responsesUrl, agent.assertion(), 'hi');
    expect(without.status).toBe(200);
    await without.body?.cancel();
  });
});
