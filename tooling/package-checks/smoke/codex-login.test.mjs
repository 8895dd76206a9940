// Logging in from the installed tarballs (issue 12 items 6 and 9): the reference backend mints a
// user's login, core's writeCodexLogin writes it as auth.json, AuthFileLoginSource reads it back;
// options mistakes are coded errors at construction.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuthFileLoginSource, CoreError, writeCodexLogin } from '@agent-identity/core';
import { startReferenceBackend } from '@agent-identity/reference-backend';

test('a login minted by the reference backend, written by writeCodexLogin, is read by AuthFileLoginSource', async () => {
  const backend = await startReferenceBackend({
    users: [{ accessToken: 'smoke-token', accountId: 'account-smoke', userId: 'user-smoke' }],
  });
  const codexHome = await mkdtemp(join(tmpdir(), 'smoke-codex-home-'));
  try {
    const path = await writeCodexLogin({ codexHome, tokens: backend.admin.mintCodexLogin() });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const login = await new AuthFileLoginSource({ path }).currentLogin();
    assert.deepEqual(
      { mode: login?.mode, accountId: login?.accountId, userId: login?.userId },
      { mode: 'chatgpt', accountId: 'account-smoke', userId: 'user-smoke' },
    );
  } finally {
    await rm(codexHome, { recursive: true, force: true });
    await backend.close();
  }
});

test('new AuthFileLoginSource({}) is a CoreError OPTIONS_INVALID at construction', () => {
  assert.throws(
    () => new AuthFileLoginSource({}),
    (error) => CoreError.isInstance(error) && error.code === 'OPTIONS_INVALID',
  );
});
