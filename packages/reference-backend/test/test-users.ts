import type { BackendUser } from '../src/index.js';

export const alice: BackendUser = { accessToken: 'token-alice', accountId: 'account-1', userId: 'user-alice' };
export const bob: BackendUser = { accessToken: 'token-bob', accountId: 'account-2', userId: 'user-bob' };

/** The JSON error body every refusal carries. */
export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return body.error;
}
