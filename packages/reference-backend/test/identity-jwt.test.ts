import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import {
  AGENT_IDENTITY_JWT_AUDIENCE,
  AGENT_IDENTITY_JWT_ISSUER,
  AgentIdentityJwtClaims,
  agentIdentityJwksUrl,
  CHATGPT_ACCOUNT_ID_HEADER,
  formatSecondsTimestamp,
} from '@agent-identity/protocol';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../src/index.js';
import { postAuthApiTaskRegistration, taskIdOf } from './current-profile-client.js';
import { postResponses } from './protocol-client.js';
import { alice, bob, errorOf } from './test-users.js';

async function fetchJwks(url: string): Promise<JSONWebKeySet> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as JSONWebKeySet;
}

describe('identity JWTs and the JWKS (CODEX-CURRENT.md "JWT identities")', () => {
  let backend: ReferenceBackend | undefined;
  afterEach(async () => {
    await backend?.close();
  });

  it.each([
    ['/backend-api', '/backend-api/wham/agent-identities/jwks'],
    ['', '/agent-identities/jwks'],
    ['/api', '/api/agent-identities/jwks'],
  ])('serves the JWKS where a Codex looks for it under pathPrefix %j', async (pathPrefix, path) => {
    backend = await startReferenceBackend({ pathPrefix });
    expect(backend.jwksUrl).toBe(`${backend.url}${path}`);
    expect(agentIdentityJwksUrl(backend.baseUrl)).toBe(backend.jwksUrl);
    const jwks = await fetchJwks(backend.jwksUrl);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]?.kid).toMatch(/^reference-[0-9a-f]{16}$/);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('mints an RS256 JWT the JWKS verifies, with the claims of a whole identity record', async () => {
    const nowMs = Date.now();
    backend = await startReferenceBackend({ users: [alice, bob], now: () => nowMs });
    const minted = await backend.admin.mintIdentityJwt({
      userId: bob.userId,
      email: 'bob@example.com',
      planType: 'pro',
    });

    const { payload, protectedHeader } = await jwtVerify(
      minted.jwt,
      createLocalJWKSet(await fetchJwks(backend.jwksUrl)),
      {
        issuer: AGENT_IDENTITY_JWT_ISSUER,
        audience: AGENT_IDENTITY_JWT_AUDIENCE,
        algorithms: ['RS256'],
      },
    );
    expect(protectedHeader.kid).toBe((await fetchJwks(backend.jwksUrl)).keys[0]?.kid);
    const claims = AgentIdentityJwtClaims.parse(payload);
    expect(claims).toMatchObject({
      agent_runtime_id: minted.agentRuntimeId,
      account_id: bob.accountId,
      chatgpt_user_id: bob.userId,
      email: 'bob@example.com',
      plan_type: 'pro',
      chatgpt_account_is_fedramp: false,
    });
    expect(payload.iat).toBe(Math.floor(nowMs / 1000));
    expect(payload.exp).toBe(Math.floor(nowMs / 1000) + 3600);

    // The private key is the registered agent's: it signs a task registration the backend accepts.
    const key = AgentSigningKey.fromPkcs8Base64(claims.agent_private_key);
    expect(await backend.admin.agents()).toMatchObject([
      { agentRuntimeId: minted.agentRuntimeId, publicKey: key.sshPublicKey, userId: bob.userId },
    ]);
    const taskId = await taskIdOf(
      await postAuthApiTaskRegistration(backend.authApiUrl, key, minted.agentRuntimeId, nowMs),
      key,
    );
    const assertion = buildAgentAssertion(key, {
      agentRuntimeId: minted.agentRuntimeId,
      taskId,
      timestamp: formatSecondsTimestamp(nowMs),
    });
    const response = await postResponses(backend.responsesUrl, assertion, 'hi', {
      [CHATGPT_ACCOUNT_ID_HEADER]: bob.accountId,
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();

    const counters = backend.admin.counters();
    expect(counters.identityJwtsMinted).toBe(1);
    expect(counters.registrationsByProfile['codex-current']).toEqual({ agents: 0, tasks: 1 });
  });

  it('mints over /_admin/identity-jwts too (defaults: the first user, empty email, plus, not FedRAMP)', async () => {
    backend = await startReferenceBackend({ users: [alice, bob] });
    const response = await fetch(`${backend.url}/_admin/identity-jwts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ttlSeconds: 60 }),
    });
    expect(response.status).toBe(200);
    const minted = (await response.json()) as { jwt: string; agentRuntimeId: string };
    const { payload } = await jwtVerify(minted.jwt, createLocalJWKSet(await fetchJwks(backend.jwksUrl)), {
      issuer: AGENT_IDENTITY_JWT_ISSUER,
      audience: AGENT_IDENTITY_JWT_AUDIENCE,
    });
    expect(payload).toMatchObject({
      agent_runtime_id: minted.agentRuntimeId,
      account_id: alice.accountId,
      chatgpt_user_id: alice.userId,
      email: '',
      plan_type: 'plus',
      chatgpt_account_is_fedramp: false,
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
    expect(decodeProtectedHeader(minted.jwt)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
  });

  it('refuses to mint for an unknown user or with a bad lifetime: OPTIONS_INVALID in code, 400 over HTTP', async () => {
    backend = await startReferenceBackend({ users: [alice] });
    await expect(backend.admin.mintIdentityJwt({ userId: 'user-nobody' })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
    });
    await expect(backend.admin.mintIdentityJwt({ ttlSeconds: 0 })).rejects.toMatchObject({ code: 'OPTIONS_INVALID' });
    const response = await fetch(`${backend.url}/_admin/identity-jwts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fedramp: 'yes' }),
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_request', message: 'fedramp must be a boolean' });
    expect(await backend.admin.agents()).toEqual([]);
  });
});
