import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBase64UrlNoPad } from '@agent-identity/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/stores/atomic-file.js';
import { AuthFileLoginSource } from '../src/stores/auth-file-login-source.js';
import { exitedCleanly, spawnFixture } from './child-process.js';
import { useTempFolder } from './temp-folder.js';

const folder = useTempFolder();
let path: string;
beforeEach(() => {
  path = join(folder.path, 'auth.json');
});

const ACCESS_TOKEN = 'access-token-secret-value';

/** A real, unsigned JWT whose payload carries Codex's auth claims. */
function idToken(auth: Record<string, unknown>): string {
  const part = (value: unknown): string => encodeBase64UrlNoPad(new TextEncoder().encode(JSON.stringify(value)));
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'auth0|x', 'https://api.openai.com/auth': auth })}.c2ln`;
}

function chatgptAuthFile(tokens: Record<string, unknown> = {}): string {
  return JSON.stringify({
    OPENAI_API_KEY: null,
    tokens: {
      id_token: idToken({ chatgpt_account_id: 'account-from-claim', chatgpt_user_id: 'user-123' }),
      access_token: ACCESS_TOKEN,
      refresh_token: 'refresh-secret',
      ...tokens,
    },
    last_refresh: '2026-04-19T20:00:00Z',
  });
}

describe('AuthFileLoginSource: the login (SPEC §2.2, §2.3)', () => {
  it('tokens → a ChatGPT login: access token, tokens.account_id, user id from the ID token', async () => {
    await writeFile(path, chatgptAuthFile({ account_id: 'account-123' }));
    expect(await new AuthFileLoginSource({ path }).currentLogin()).toEqual({
      mode: 'chatgpt',
      accessToken: ACCESS_TOKEN,
      accountId: 'account-123',
      userId: 'user-123',
    });
  });

  it('without tokens.account_id the account id comes from the ID token claim', async () => {
    await writeFile(path, chatgptAuthFile());
    expect(await new AuthFileLoginSource({ path }).currentLogin()).toMatchObject({
      accountId: 'account-from-claim',
    });
  });

  it('an ID token without the claims gives a login without account or user id', async () => {
    await writeFile(path, chatgptAuthFile({ id_token: idToken({}) }));
    expect(await new AuthFileLoginSource({ path }).currentLogin()).toEqual({
      mode: 'chatgpt',
      accessToken: ACCESS_TOKEN,
    });
  });

  it('OPENAI_API_KEY and no tokens → API-key auth', async () => {
    await writeFile(path, JSON.stringify({ OPENAI_API_KEY: 'sk-test', tokens: null }));
    expect(await new AuthFileLoginSource({ path }).currentLogin()).toEqual({ mode: 'api_key', apiKey: 'sk-test' });
  });

  it('no file, or a file with no login → undefined', async () => {
    const source = new AuthFileLoginSource({ path });
    expect(await source.currentLogin()).toBeUndefined();
    await writeFile(path, JSON.stringify({ OPENAI_API_KEY: null, agent_identity: null }));
    expect(await source.currentLogin()).toBeUndefined();
  });

  it('re-reads the file when it changes (login, then logout)', async () => {
    const source = new AuthFileLoginSource({ path });
    await writeFileAtomic(path, chatgptAuthFile());
    expect(await source.currentLogin()).toMatchObject({ mode: 'chatgpt' });
    await writeFileAtomic(path, JSON.stringify({ OPENAI_API_KEY: 'sk-test' }));
    expect(await source.currentLogin()).toEqual({ mode: 'api_key', apiKey: 'sk-test' });
  });

  const corrupt = {
    'not JSON': `{"tokens": {"access_token": "${ACCESS_TOKEN}"`,
    'tokens without access_token': JSON.stringify({ tokens: { id_token: 'a.b.c', refresh_token: ACCESS_TOKEN } }),
    'an ID token that is not a JWT': chatgptAuthFile({ id_token: ACCESS_TOKEN }),
  };
  for (const [name, text] of Object.entries(corrupt)) {
    it(`${name} → AUTH_FILE_CORRUPT, and the message holds no token`, async () => {
      await writeFile(path, text);
      const error = await new AuthFileLoginSource({ path }).currentLogin().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'AUTH_FILE_CORRUPT' });
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).not.toContain(ACCESS_TOKEN);
    });
  }
});

describe('AuthFileLoginSource.waitForChange', () => {
  it('wakes when another process logs in by writing the file through a rename (folder watch)', async () => {
    const source = new AuthFileLoginSource({ path, pollIntervalMs: 3_600_000 });
    expect(await source.currentLogin()).toBeUndefined();
    const waiting = source.waitForChange(new AbortController().signal);
    await exitedCleanly(spawnFixture('write-file-by-rename.ts', [path, chatgptAuthFile()]));
    await waiting;
    expect(source.watcherCount).toBe(0);
    expect(await source.currentLogin()).toMatchObject({ mode: 'chatgpt', accessToken: ACCESS_TOKEN });
  });

  it('a change made between currentLogin() and waitForChange() is not missed', async () => {
    const source = new AuthFileLoginSource({ path, pollIntervalMs: 3_600_000 });
    expect(await source.currentLogin()).toBeUndefined();
    await writeFileAtomic(path, chatgptAuthFile());
    await source.waitForChange(new AbortController().signal);
    expect(await source.currentLogin()).toMatchObject({ mode: 'chatgpt' });
  });

  it('falls back to polling when the folder cannot be watched (it does not exist yet)', async () => {
    const nested = join(folder.path, 'not-yet', 'auth.json');
    const source = new AuthFileLoginSource({ path: nested, pollIntervalMs: 10 });
    expect(await source.currentLogin()).toBeUndefined();
    const waiting = source.waitForChange(new AbortController().signal);
    expect(source.watcherCount).toBe(0);
    await mkdir(join(folder.path, 'not-yet'));
    await writeFileAtomic(nested, chatgptAuthFile());
    await waiting;
    expect(await source.currentLogin()).toMatchObject({ mode: 'chatgpt' });
  });

  it('abort rejects with the reason and closes the watcher', async () => {
    const source = new AuthFileLoginSource({ path });
    await source.currentLogin();
    const controller = new AbortController();
    const waiting = source.waitForChange(controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.watcherCount).toBe(1);
    const reason = new Error('thread closed');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(source.watcherCount).toBe(0);
  });

  it('an already-aborted signal rejects without watching', async () => {
    const source = new AuthFileLoginSource({ path });
    await expect(source.waitForChange(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.watcherCount).toBe(0);
  });
});
