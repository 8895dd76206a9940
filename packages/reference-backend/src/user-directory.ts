import type { BackendUser } from './options.js';

/** The configured users, found by access token. */
export class UserDirectory {
  readonly #byAccessToken: ReadonlyMap<string, BackendUser>;

  constructor(users: readonly BackendUser[]) {
    this.#byAccessToken = new Map(users.map((user) => [user.accessToken, user]));
  }

  byAccessToken(accessToken: string): BackendUser | undefined {
    return this.#byAccessToken.get(accessToken);
  }
}
