import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALICE, BOB, codexLoginTokens } from '@agent-identity/reference-backend';
import { describe, expect, it } from 'vitest';
import { AuthFileLoginSource, CoreError, FileIdentityStore, writeCodexLogin } from '../src/index.js';
import { codexAuthFile } from './support/codex-auth-file.js';
import { useTempFolder } from './temp-folder.js';

const folder = useTempFolder();
const ISSUED_AT = Date.UTC(2026, 3, 19, 22, 0, 0);

async function documentOf(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

async function rejection(promise: Promise<unknown>): Promise<CoreError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!CoreError.isInstance(error)) throw new Error(`expected a CoreError, got ${String(error)}`);
  return error;
}

describe('writeCodexLogin (issue 12 item 6)', () => {
  it("writes a ChatGPT login AuthFileLoginSource reads back, 0600 in a 0700 folder, in Codex's key order", async () => {
    const codexHome = join(folder.path, 'new-home');

    const path = await writeCodexLogin({
      codexHome,
      tokens: codexLoginTokens(ALICE, { issuedAtMs: ISSUED_AT, email: 'alice@example.com' }),
      now: () => ISSUED_AT,
    });

    expect(path).toBe(join(codexHome, 'auth.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(codexHome)).mode & 0o777).toBe(0o700);
    expect(Object.keys(await documentOf(path))).toEqual(['OPENAI_API_KEY', 'tokens', 'last_refresh']);
    expect(await new AuthFileLoginSource({ path }).currentLogin()).toEqual({
      mode: 'chatgpt',
      accessToken: ALICE.accessToken,
      accountId: ALICE.accountId,
      userId: ALICE.userId,
      email: 'alice@example.com',
      planType: 'plus',
    });
  });

  it('replaces the login but keeps the agent identity record and every other key', async () => {
    const path = join(folder.path, 'auth.json');
    const store = new FileIdentityStore({ path });
    await writeCodexLogin({ codexHome: folder.path, tokens: codexLoginTokens(ALICE, { issuedAtMs: ISSUED_AT }) });
    const record = {
      agent_runtime_id: 'agent-123',
      agent_private_key:
        'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=',
      workspace_id: ALICE.accountId,
      chatgpt_user_id: ALICE.userId,
      registered_at: '2026-04-19T22:45:28Z',
    };
    await store.save(record);
    const saved = (await documentOf(path)).agent_identity;
    await writeFile(path, JSON.stringify({ ...(await documentOf(path)), a_key_of_another_tool: [1] }), { mode: 0o600 });

    await writeCodexLogin({ codexHome: folder.path, tokens: codexLoginTokens(BOB, { issuedAtMs: ISSUED_AT }) });

    const document = await documentOf(path);
    expect(document.agent_identity).toEqual(saved);
    expect(document.a_key_of_another_tool).toEqual([1]);
    expect(await new AuthFileLoginSource({ path }).currentLogin()).toMatchObject({ userId: BOB.userId });
  });

  it('replaces an identity JWT login (auth_mode agentIdentity) with the ChatGPT login', async () => {
    const path = join(folder.path, 'auth.json');
    await writeFile(path, JSON.stringify({ auth_mode: 'agentIdentity', agent_identity: 'eyJ.jwt.x' }), { mode: 0o600 });

    await writeCodexLogin({ codexHome: folder.path, tokens: codexLoginTokens(ALICE, { issuedAtMs: ISSUED_AT }) });

    const document = await documentOf(path);
    expect(document.auth_mode).toBe('chatgpt');
    expect(document).not.toHaveProperty('agent_identity');
  });

  it('writes an API key login: no tokens, so the runtime sees API-key auth', async () => {
    const path = await writeCodexLogin({ codexHome: folder.path, apiKey: 'sk-test-key' });

    expect(await new AuthFileLoginSource({ path }).currentLogin()).toEqual({ mode: 'api_key', apiKey: 'sk-test-key' });
  });

  it('refuses an id_token without the https://api.openai.com/auth claim, writing nothing and echoing no token', async () => {
    const path = join(folder.path, 'auth.json');
    await writeFile(path, JSON.stringify(codexAuthFile(ALICE)), { mode: 0o600 });
    const before = await readFile(path, 'utf8');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', email: 'secret@example.com' })).toString('base64url');

    const noClaim = await rejection(
      writeCodexLogin({
        codexHome: folder.path,
        tokens: { id_token: `e30.${payload}.c2ln`, access_token: 'access-token-secret' },
      }),
    );
    const notJwt = await rejection(
      writeCodexLogin({ codexHome: folder.path, tokens: { id_token: 'opaque-secret', access_token: 'a' } }),
    );

    expect(noClaim.code).toBe('OPTIONS_INVALID');
    expect(noClaim.message).toBe(
      'options.tokens.id_token carries no "https://api.openai.com/auth" claim with a chatgpt_account_id, and tokens.account_id is not given',
    );
    expect(notJwt.message).toBe('options.tokens.id_token must be a JWT with a JSON object payload (not_jwt)');
    expect(`${noClaim.message}${notJwt.message}`).not.toMatch(/secret/);
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});
