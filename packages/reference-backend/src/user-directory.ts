import { BackendError } from './backend-error.js';
import type { BackendUser } from './options.js';

/** The configured users, found by access token or user id. */
export class UserDirectory {
  readonly #byAccessToken: ReadonlyMap<string, BackendUser>;
  readonly #users: readonly BackendUser[];

  constructor(users: readonly BackendUser[]) {
    this.#users = users;
    this.#byAccessToken = new Map(users.map((user) => [user.accessToken, user]));
  }

  byAccessToken(accessToken: string): BackendUser | undefined {
    return this.#byAccessToken.get(accessToken);
  }

  /** The first user with this id (ids need not be unique across accounts). */
  byUserId(userId: string): BackendUser | undefined {
    return this.#users.find((user) => user.userId === userId);
  }

  /** The first configured user: the one a test means when it names none. */
  get first(): BackendUser {
    const [user] = this.#users;
    // Unreachable: resolveBackendOptions refuses an empty user list.
    if (user === undefined) throw new BackendError('OPTIONS_INVALID', 'users must not be empty');
    return user;
  }
}
