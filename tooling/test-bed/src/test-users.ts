import type { ChatGptLogin } from '@agent-identity/core';
import type { BackendUser } from '@agent-identity/reference-backend';

/** Tokens long and unmistakable, so a leak check can search for them. */
export const ALICE: BackendUser = {
  accessToken: 'access-token-alice-5d1e9f3a7c2b4e6d8f0a1b2c3d4e5f6a',
  accountId: 'account-1',
  userId: 'user-alice',
};
/** A user of another workspace than Alice's. */
export const BOB: BackendUser = {
  accessToken: 'access-token-bob-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c',
  accountId: 'account-2',
  userId: 'user-bob',
};
/** The users a bed's reference backend accepts unless told otherwise. */
export const USERS: readonly BackendUser[] = [ALICE, BOB];

/** The ChatGPT login of `user`, as a Codex home holds it. */
export function loginOf(user: BackendUser): ChatGptLogin {
  return { mode: 'chatgpt', accessToken: user.accessToken, accountId: user.accountId, userId: user.userId };
}
