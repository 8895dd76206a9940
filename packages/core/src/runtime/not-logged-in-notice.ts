import type { Logger } from './logger.js';

/** The code of the warning, and of the refusals adapters answer when nobody is logged in. */
export const NOT_LOGGED_IN = 'NOT_LOGGED_IN';

/**
 * Says "not logged in" once: a turn that finds nobody logged in gets `TurnAuth` scheme `none`
 * (no credential at all), and a user must learn that from us rather than from a downstream 401.
 * One warn line per stretch without a login, for the whole runtime; a login re-arms it.
 */
export class NotLoggedInNotice {
  readonly #logger: Logger;
  #warned = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Told by each turn whether it found someone logged in (a task counts: someone registered it). */
  turnBegan(loggedIn: boolean, threadId: string): void {
    if (loggedIn) {
      this.#warned = false;
      return;
    }
    if (this.#warned) return;
    this.#warned = true;
    this.#logger.warn(
      'agent identity: nobody is logged in; turns have no credential and downstream requests are refused until someone logs in',
      { code: NOT_LOGGED_IN, threadId },
    );
  }
}
