import type { Login } from './login.js';

/**
 * Where the runtime learns who is logged in. Called on every turn, so `currentLogin()` must be
 * cheap (cache, and re-read only what changed).
 */
export interface AuthSource {
  /** The current login; `undefined` when nobody is logged in. */
  currentLogin(): Promise<Login | undefined>;
  /**
   * Resolves once the login may have changed (a login, a logout, a token refresh). Rejects with
   * the signal's reason when `signal` aborts. Spurious wake-ups are allowed; callers re-read.
   */
  waitForChange(signal: AbortSignal): Promise<void>;
}
