import { ALICE, loginOf } from '@agent-identity/test-bed';

/** The user every test logs in as: the test bed's default login, so its backend accepts it. */
export const USER = ALICE;

export const LOGIN = loginOf(USER);
