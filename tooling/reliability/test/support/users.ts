import type { ChatGptLogin } from '@agent-identity/core';
import type { BackendUser } from '@agent-identity/reference-backend';

/** The user every test logs in as; the token is long and unmistakable, for the leak checks. */
export const USER: BackendUser = {
  accessToken: 'reliability-access-token-5d1c7f3a9e2b4c6d8f0a1b3c5d7e9f1a',
  accountId: 'account-reliability',
  userId: 'user-reliability',
};

export const LOGIN: ChatGptLogin = {
  mode: 'chatgpt',
  accessToken: USER.accessToken,
  accountId: USER.accountId,
  userId: USER.userId,
};
