import {
  agentRegisterUrl,
  BISCUIT_RESPONSE_HEADER,
  biscuitUrl,
  OPENAI_AUTHORIZATION_HEADER,
} from '@agent-identity/protocol';
import { AgentSigningKey } from '@agent-identity/crypto';
import { describe, expect, it } from 'vitest';
import { startReferenceBackend } from '../src/index.js';
import { biscuitHeaders, mintBiscuit, registrationBody } from './protocol-client.js';
import { alice, bob, errorOf } from './test-users.js';

function registerWith(url: string, biscuit: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (biscuit !== undefined) headers[OPENAI_AUTHORIZATION_HEADER] = biscuit;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(registrationBody(AgentSigningKey.generate())) });
}

describe('GET authenticate_app_v2', () => {
  it('returns a biscuit in x-openai-authorization for a configured user', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await fetch(biscuitUrl(backend.baseUrl), {
      headers: biscuitHeaders(alice.accessToken, 'POST', agentRegisterUrl(backend.baseUrl)),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get(BISCUIT_RESPONSE_HEADER)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = await response.text();
    expect(text).not.toContain(response.headers.get(BISCUIT_RESPONSE_HEADER));
    expect(backend.admin.counters().biscuitsMinted).toBe(1);
  });

  it.each([
    ['no Authorization', { authorization: undefined }, 401, 'missing_authorization'],
    ['an unknown access token', { authorization: 'Bearer token-mallory' }, 401, 'invalid_token'],
    ['another scheme', { authorization: 'Basic dG9rZW4tYWxpY2U=' }, 401, 'invalid_token'],
    ['no X-Request-Id', { 'X-Request-Id': undefined }, 400, 'invalid_request'],
    [
      'an X-Request-Id without the codex prefix',
      { 'X-Request-Id': 'request-AAAAAAAAAAAAAAAAAAAAAA' },
      400,
      'invalid_request',
    ],
    [
      'an X-Request-Id with a short random part',
      { 'X-Request-Id': 'codex-agent-identity-AAAA' },
      400,
      'invalid_request',
    ],
    ['no X-Original-Method', { 'X-Original-Method': undefined }, 400, 'invalid_request'],
    ['a relative X-Original-Url', { 'X-Original-Url': '/v1/agent/register' }, 400, 'invalid_request'],
    ['no X-Original-Url', { 'X-Original-Url': undefined }, 400, 'invalid_request'],
  ])('refuses a request with %s', async (_name, change, status, code) => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const headers: Record<string, string | undefined> = {
      ...biscuitHeaders(alice.accessToken, 'POST', agentRegisterUrl(backend.baseUrl)),
    };
    Object.assign(headers, change);
    const sent = Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const response = await fetch(biscuitUrl(backend.baseUrl), { headers: sent });
    expect(response.status).toBe(status);
    expect(response.headers.get(BISCUIT_RESPONSE_HEADER)).toBeNull();
    expect((await errorOf(response)).code).toBe(code);
    expect(backend.admin.counters().biscuitsMinted).toBe(0);
  });

  it('never echoes the access token it refuses', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await fetch(biscuitUrl(backend.baseUrl), {
      headers: biscuitHeaders('token-mallory-secret', 'POST', agentRegisterUrl(backend.baseUrl)),
    });
    expect(await response.text()).not.toContain('token-mallory-secret');
  });
});

describe('a biscuit on a registration call', () => {
  it('is valid once: a replay is refused as invalid_biscuit', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const url = agentRegisterUrl(backend.baseUrl);
    const biscuit = await mintBiscuit(backend.baseUrl, alice.accessToken, 'POST', url);
    expect((await registerWith(url, biscuit)).status).toBe(200);
    const replay = await registerWith(url, biscuit);
    expect(replay.status).toBe(401);
    expect(await errorOf(replay)).toMatchObject({ code: 'invalid_biscuit' });
    expect(await backend.admin.agents()).toHaveLength(1);
  });

  it('is refused without X-OpenAI-Authorization as missing_biscuit', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const response = await registerWith(agentRegisterUrl(backend.baseUrl), undefined);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('missing_biscuit');
  });

  it('is refused for another URL than it was minted for, and is spent by that attempt', async () => {
    await using backend = await startReferenceBackend({ users: [alice], pathPrefix: '/backend-api' });
    const url = agentRegisterUrl(backend.baseUrl);
    const biscuit = await mintBiscuit(backend.baseUrl, alice.accessToken, 'POST', `${url}?other`);
    const response = await registerWith(url, biscuit);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('biscuit_mismatch');
    expect((await errorOf(await registerWith(`${url}?other`, biscuit))).code).toBe('invalid_biscuit');
  });

  it('is refused when the request arrives under another prefix than the minted URL', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const biscuit = await mintBiscuit(
      backend.baseUrl,
      alice.accessToken,
      'POST',
      agentRegisterUrl(`${backend.url}/backend-api`),
    );
    const response = await registerWith(agentRegisterUrl(backend.url), biscuit);
    expect((await errorOf(response)).code).toBe('biscuit_mismatch');
  });

  it('is refused for another method than it was minted for', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });
    const url = agentRegisterUrl(backend.baseUrl);
    const biscuit = await mintBiscuit(backend.baseUrl, alice.accessToken, 'PUT', url);
    expect((await errorOf(await registerWith(url, biscuit))).code).toBe('biscuit_mismatch');
  });

  it('expires after biscuitTtlMs (injected clock)', async () => {
    let nowMs = Date.UTC(2026, 2, 23, 12);
    await using backend = await startReferenceBackend({ users: [alice], now: () => nowMs, biscuitTtlMs: 1_000 });
    const url = agentRegisterUrl(backend.baseUrl);
    const fresh = await mintBiscuit(backend.baseUrl, alice.accessToken, 'POST', url);
    const stale = await mintBiscuit(backend.baseUrl, alice.accessToken, 'POST', url);
    nowMs += 999;
    expect((await registerWith(url, fresh)).status).toBe(200);
    nowMs += 1;
    const response = await registerWith(url, stale);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('biscuit_expired');
  });

  it('binds the agent to the user whose token bought the biscuit', async () => {
    await using backend = await startReferenceBackend({ users: [alice, bob] });
    const url = agentRegisterUrl(backend.baseUrl);
    await registerWith(url, await mintBiscuit(backend.baseUrl, bob.accessToken, 'POST', url));
    expect(await backend.admin.agents()).toMatchObject([{ accountId: 'account-2', userId: 'user-bob' }]);
  });
});
