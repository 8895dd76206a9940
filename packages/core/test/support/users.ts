import type { BackendUser } from '@agent-identity/reference-backend';
import type { ChatGptLogin } from '../../src/login.js';

/** Two users of one workspace and one of another; tokens long and unmistakable for leak checks. */
export const ALICE: BackendUser = {
  accessToken: 'access-token-alice-3f9a1c0e7b2d4e6f8a0b1c2d3e4f5a6b',
  accountId: 'account-1',
  userId: 'user-alice',
};
export const BOB: BackendUser = {
  accessToken: 'access-token-bob-9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f',
  accountId: 'account-1',
  userId: 'user-bob',
};
export const CAROL: BackendUser = {
  accessToken: 'access-token-carol-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d',
  accountId: 'account-2',
  userId: 'user-carol',
};

export const USERS: readonly BackendUser[] = [ALICE, BOB, CAROL];

export function loginOf(user: BackendUser): ChatGptLogin {
  return { mode: 'chatgpt', accessToken: user.accessToken, accountId: user.accountId, userId: user.userId };
}
