import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentSigningKey } from '@agent-identity/crypto';
import { AGENT_IDENTITY_JWT_AUDIENCE, AGENT_IDENTITY_JWT_ISSUER } from '@agent-identity/protocol';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IdentityJwtVerifier, identityJwtSource } from '../src/identity/identity-jwt.js';
import { MemoryIdentityStore } from '../src/stores/memory-identity-store.js';
import type { AgentIdentityRuntime } from '../src/runtime/runtime.js';
import { closeHarnesses, Harness } from './support/harness.js';
import { stateLines } from './support/threads.js';

/** A small JWKS server of our own on 127.0.0.1: `GET /backend-api/wham/agent-identities/jwks`. */
class JwksServer {
  requests = 0;
  readonly #server: Server;
  #jwksBaseUrl = '';

  private constructor(keys: JWK[]) {
    this.#server = createServer((request, response) => {
      this.requests += 1;
      if (request.url !== '/backend-api/wham/agent-identities/jwks') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
  }

  static async start(keys: JWK[]): Promise<JwksServer> {
    const jwksServer = new JwksServer(keys);
    jwksServer.#server.listen(0, '127.0.0.1');
    await once(jwksServer.#server, 'listening');
    const { port } = jwksServer.#server.address() as AddressInfo;
    jwksServer.#jwksBaseUrl = `http://127.0.0.1:${port}/backend-api/`;
    return jwksServer;
  }

  get jwksBaseUrl(): string {
    return this.#jwksBaseUrl;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}

const NOW_MS = Date.UTC(2026, 11, 3, 8, 0, 0);
const agentKey = AgentSigningKey.generate();
const claims = {
  agent_runtime_id: 'agent-jwt-1',
  agent_private_key: agentKey.toPkcs8Base64(),
  account_id: 'account-jwt',
  chatgpt_user_id: 'user-jwt',
  email: 'jwt@example.com',
  plan_type: 'plus',
  chatgpt_account_is_fedramp: false,
};

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let trusted: SigningKey;
let untrusted: SigningKey;
let jwks: JwksServer;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  trusted = pair.privateKey;
  untrusted = (await generateKeyPair('RS256')).privateKey;
  jwks = await JwksServer.start([{ ...(await exportJWK(pair.publicKey)), kid: 'kid-1', alg: 'RS256', use: 'sig' }]);
});
afterAll(() => jwks.close());

interface TokenOptions {
  key?: SigningKey;
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresAtMs?: number;
}

function token(options: TokenOptions = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'kid-1' })
    .setIssuer(options.issuer ?? AGENT_IDENTITY_JWT_ISSUER)
    .setAudience(options.audience ?? AGENT_IDENTITY_JWT_AUDIENCE)
    .setIssuedAt(Math.floor(NOW_MS / 1000) - 60)
    .setExpirationTime(Math.floor((options.expiresAtMs ?? NOW_MS + 3_600_000) / 1000))
    .sign(options.key ?? trusted);
}

function verifier(jwksBaseUrl = jwks.jwksBaseUrl): IdentityJwtVerifier {
  return new IdentityJwtVerifier({ jwksBaseUrl, now: () => NOW_MS });
}

describe('IdentityJwtVerifier (CODEX-CURRENT "JWT identities", jose)', () => {
  it('a good token: RS256 by kid from {base}/wham/agent-identities/jwks, its claims become the identity', async () => {
    const identity = await verifier().identity(await token());
    expect(identity.toJSON()).toMatchObject({
      agentRuntimeId: 'agent-jwt-1',
      workspaceId: 'account-jwt',
      chatgptUserId: 'user-jwt',
    });
    expect(identity.sshPublicKey).toBe(agentKey.sshPublicKey);
  });

  it("a kid the JWKS does not hold: IDENTITY_JWT_KID_UNTRUSTED with CODEX-CURRENT's text", async () => {
    await expect(verifier().identity(await token({ key: untrusted, kid: 'kid-other' }))).rejects.toMatchObject({
      code: 'IDENTITY_JWT_KID_UNTRUSTED',
      message: 'agent identity JWT kid kid-other is not trusted',
    });
  });

  it('signed by another key under a trusted kid: IDENTITY_JWT_INVALID', async () => {
    await expect(verifier().identity(await token({ key: untrusted }))).rejects.toMatchObject({
      code: 'IDENTITY_JWT_INVALID',
    });
  });

  it('wrong issuer, wrong audience: IDENTITY_JWT_INVALID naming the claim, never the token', async () => {
    for (const [options, claim] of [
      [{ issuer: 'https://evil.example/agent-identity' }, 'iss'],
      [{ audience: 'another-app' }, 'aud'],
    ] as const) {
      const jwt = await token(options);
      const error = (await verifier()
        .identity(jwt)
        .catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ code: 'IDENTITY_JWT_INVALID' });
      expect(error.message).toContain(`"${claim}"`);
      expect(error.message).not.toContain(jwt);
    }
  });

  it('expired: IDENTITY_JWT_INVALID', async () => {
    await expect(verifier().identity(await token({ expiresAtMs: NOW_MS - 1_000 }))).rejects.toMatchObject({
      code: 'IDENTITY_JWT_INVALID',
      message: expect.stringContaining('"exp"') as unknown,
    });
  });

  it('an unreachable JWKS: IDENTITY_JWKS_UNAVAILABLE, "failed to request agent identity JWKS"', async () => {
    const gone = await JwksServer.start([]);
    await gone.close();
    await expect(verifier(gone.jwksBaseUrl).identity(await token())).rejects.toMatchObject({
      code: 'IDENTITY_JWKS_UNAVAILABLE',
      message: 'failed to request agent identity JWKS',
    });
  });

  it('a base without /backend-api reads {base}/agent-identities/jwks (here: a 404, so unavailable)', async () => {
    const base = jwks.jwksBaseUrl.replace('/backend-api/', '/other/');
    const before = jwks.requests;
    await expect(verifier(base).identity(await token())).rejects.toMatchObject({ code: 'IDENTITY_JWKS_UNAVAILABLE' });
    expect(jwks.requests).toBe(before + 1);
  });
});

describe('identityJwtSource', () => {
  it("CODEX_ACCESS_TOKEN first, else the auth file's JWT form", async () => {
    const authFile = { loadIdentityJwt: () => Promise.resolve('from-file') };
    expect(await identityJwtSource({ env: { CODEX_ACCESS_TOKEN: 'from-env' }, authFile })()).toBe('from-env');
    expect(await identityJwtSource({ env: { CODEX_ACCESS_TOKEN: '' }, authFile })()).toBe('from-file');
    expect(await identityJwtSource({ env: {} })()).toBeUndefined();
  });
});

describe('a runtime on a JWT identity of the reference backend (end to end)', () => {
  afterEach(closeHarnesses);

  function jwtRuntime(harness: Harness, jwt: string): AgentIdentityRuntime {
    return harness.runtime({
      profile: 'codex-current',
      authApiUrl: harness.backend.authApiUrl,
      identityJwt: {
        load: identityJwtSource({ env: { CODEX_ACCESS_TOKEN: jwt } }),
        jwksBaseUrl: harness.backend.baseUrl,
      },
    });
  }

  it("the backend's JWT drives a turn: no identity registered, the task registered once and never stored, the assertion accepted", async () => {
    const identityStore = new MemoryIdentityStore();
    const harness = await Harness.start({ identityStore });
    const { jwt, agentRuntimeId } = await harness.backend.admin.mintIdentityJwt({ email: 'a@example.com' });
    const runtime = jwtRuntime(harness, jwt);
    const thread = await runtime.startThread();
    const turn = await thread.beginTurn();
    if (!turn.ok) throw new Error(turn.event.message);
    expect(turn.auth.task?.agentRuntimeId).toBe(agentRuntimeId);
    const second = await (await runtime.startThread()).beginTurn();
    expect(second.ok && second.auth.task).toEqual(turn.auth.task);

    const response = await fetch(harness.backend.responsesUrl, {
      method: 'POST',
      headers: { ...turn.auth.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'test', input: 'hi', stream: true }),
    });
    await response.text();
    expect(response.status).toBe(200);
    expect(harness.counters().registrationsByProfile['codex-current']).toEqual({ agents: 0, tasks: 1 });
    expect(await identityStore.load()).toBeUndefined();
    expect(stateLines(harness, thread.id)).toEqual([]);
  });

  it('a JWT that does not verify fails registration with its typed error and registers nothing', async () => {
    const harness = await Harness.start();
    const { jwt } = await harness.backend.admin.mintIdentityJwt();
    const runtime = jwtRuntime(harness, `${jwt.slice(0, -4)}AAAA`);
    const thread = await runtime.startThread();
    await thread.prewarmed;
    expect(harness.events.map((event) => event.code)).toEqual(['IDENTITY_REGISTRATION_FAILED']);
    expect(harness.counters().registrationsByProfile['codex-current']).toEqual({ agents: 0, tasks: 0 });
  });

  it('identityJwt needs the codex-current profile', async () => {
    const harness = await Harness.start();
    expect(() =>
      harness.runtime({
        identityJwt: { load: () => Promise.resolve(undefined), jwksBaseUrl: harness.backend.baseUrl },
      }),
    ).toThrow(/needs profile: 'codex-current'/);
  });
});
