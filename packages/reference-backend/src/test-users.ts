import type { BackendUser } from './options.js';

/**
 * The users every test suite of the repository logs in as: two of one workspace and one of
 * another. Tokens long and unmistakable, so a leak check can search for them.
 */
export const ALICE: BackendUser = {
  accessToken: 'access-token-alice-3f9a1c0e7b2d4e6f8a0b1c2d3e4f5a6b',
  accountId: 'account-1',
  userId: 'user-alice',
};
/** Alice's colleague: the same workspace, another user. */
export const BOB: BackendUser = {
  accessToken: 'access-token-bob-9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f',
  accountId: 'account-1',
  userId: 'user-bob',
};
/** A user of another workspace than Alice's. */
export const CAROL: BackendUser = {
  accessToken: 'access-token-carol-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d',
  accountId: 'account-2',
  userId: 'user-carol',
};
export const TEST_USERS: readonly BackendUser[] = [ALICE, BOB, CAROL];
