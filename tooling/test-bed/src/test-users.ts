import type { ChatGptLogin } from '@agent-identity/core';
import { TEST_USERS, type BackendUser } from '@agent-identity/reference-backend';

export { ALICE, BOB, CAROL } from '@agent-identity/reference-backend';
/** The users a bed's reference backend accepts unless told otherwise. */
export const USERS: readonly BackendUser[] = TEST_USERS;

/** The ChatGPT login of `user`, as a Codex home holds it. */
export function loginOf(user: BackendUser): ChatGptLogin {
  return { mode: 'chatgpt', accessToken: user.accessToken, accountId: user.accountId, userId: user.userId };
}
