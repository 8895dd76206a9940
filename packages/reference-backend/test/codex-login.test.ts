import { decodeIdTokenClaims } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { BackendAdminClient, BackendError, startReferenceBackend } from '../src/index.js';
import { postResponses } from './protocol-client.js';
import { alice, bob } from './test-users.js';

describe('mintCodexLogin: a configured user as auth.json tokens (issue 12 item 6)', () => {
  it("mints the user's access token and an ID token with the https://api.openai.com/auth claims", async () => {
    await using backend = await startReferenceBackend({ users: [alice, bob], now: () => Date.UTC(2026, 3, 19) });

    const tokens = backend.admin.mintCodexLogin({ userId: bob.userId, planType: 'pro' });

    expect(tokens).toMatchObject({ access_token: bob.accessToken, account_id: bob.accountId });
    expect(tokens.refresh_token).toMatch(/^refresh-[\w-]{32}$/);
    expect(tokens.id_token.split('.').every((part) => part.length > 0)).toBe(true);
    expect(decodeIdTokenClaims(tokens.id_token)).toEqual({
      chatgptAccountId: bob.accountId,
      chatgptUserId: bob.userId,
      chatgptPlanType: 'pro',
      email: `${bob.userId}@example.com`,
    });
    // The access token is the login the backend accepts.
    const response = await postResponses(backend.responsesUrl, `Bearer ${tokens.access_token}`, 'hello');
    expect(response.status).toBe(200);
  });

  it('is offered over the admin API to a backend in another process, for the first user by default', async () => {
    await using backend = await startReferenceBackend({ users: [alice, bob] });

    const tokens = await new BackendAdminClient({ url: backend.baseUrl }).mintCodexLogin();

    expect(decodeIdTokenClaims(tokens.id_token)).toMatchObject({ chatgptUserId: alice.userId });
    expect(tokens.access_token).toBe(alice.accessToken);
  });

  it('an unknown user is OPTIONS_INVALID in process and a 400 over HTTP', async () => {
    await using backend = await startReferenceBackend({ users: [alice] });

    expect(() => backend.admin.mintCodexLogin({ userId: 'user-nobody' })).toThrow(
      expect.objectContaining({ code: 'OPTIONS_INVALID', message: 'no configured user has the id user-nobody' }),
    );
    const overHttp = await new BackendAdminClient({ url: backend.baseUrl })
      .mintCodexLogin({ userId: 'user-nobody' })
      .catch((error: unknown) => error);
    expect(BackendError.isInstance(overHttp) && overHttp.code).toBe('ADMIN_CALL_FAILED');
  });
});
