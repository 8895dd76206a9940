import { TEST_USERS, type BackendUser } from '@agent-identity/reference-backend';
import type { ChatGptLogin } from '../../src/stores/login.js';

// The repository's test users are the reference backend's; core cannot use the test-bed, which depends on it.
export { ALICE, BOB, CAROL } from '@agent-identity/reference-backend';
export const USERS: readonly BackendUser[] = TEST_USERS;

export function loginOf(user: BackendUser): ChatGptLogin {
  return { mode: 'chatgpt', accessToken: user.accessToken, accountId: user.accountId, userId: user.userId };
}
