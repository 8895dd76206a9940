import { readFile, stat } from 'node:fs/promises';
import { AuthFileLoginSource } from '@agent-identity/core';
import { decodeIdTokenClaims } from '@agent-identity/protocol';
import { DEMO_USER } from '@agent-identity/reference-backend';
import { describe, expect, it } from 'vitest';
import { writeDemoLogin } from '../src/demo/demo-login.js';
import { tempHome } from './support/codex-home.js';

describe('the demo login', () => {
  it("is written as Codex's auth.json (0600), which AuthFileLoginSource reads as a ChatGPT login", async () => {
    await using home = await tempHome();

    const path = await writeDemoLogin(home.path, DEMO_USER, Date.UTC(2026, 0, 1));

    expect(path).toBe(home.authFile);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const document = JSON.parse(await readFile(path, 'utf8')) as {
      tokens: { id_token: string };
      last_refresh: string;
    };
    expect(Object.keys(document.tokens)).toEqual(['id_token', 'access_token', 'refresh_token', 'account_id']);
    expect(document.tokens.id_token.split('.').every((part) => part.length > 0)).toBe(true);
    expect(decodeIdTokenClaims(document.tokens.id_token)).toEqual({
      chatgptAccountId: 'account-demo',
      chatgptUserId: 'user-demo',
      chatgptPlanType: 'plus',
      email: 'demo@example.com',
    });
    expect(document.last_refresh).toBe('2026-01-01T00:00:00.000Z');
    expect(await new AuthFileLoginSource({ path }).currentLogin()).toEqual({
      mode: 'chatgpt',
      accessToken: DEMO_USER.accessToken,
      accountId: 'account-demo',
      userId: 'user-demo',
      email: 'demo@example.com',
      planType: 'plus',
    });
  });
});
