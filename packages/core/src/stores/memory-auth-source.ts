import { abortableWait } from '../primitives/abortable-wait.js';
import type { AuthSource } from './auth-source.js';
import type { Login } from './login.js';

/**
 * An {@link AuthSource} held in memory: for hosts that manage the login themselves (they call
 * `set` on login, logout and token refresh) and for tests. `set` wakes every `waitForChange`.
 */
export class MemoryAuthSource implements AuthSource {
  #login: Login | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(login?: Login) {
    this.#login = login;
  }

  currentLogin(): Promise<Login | undefined> {
    return Promise.resolve(this.#login);
  }

  /** Replaces the login (`undefined`: logged out) and wakes every waiter. */
  set(login: Login | undefined): void {
    this.#login = login;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  waitForChange(signal: AbortSignal): Promise<void> {
    return abortableWait(signal, (wake) => {
      this.#waiters.add(wake);
      return () => this.#waiters.delete(wake);
    });
  }

  /** How many `waitForChange` calls are pending (lets tests check that aborts clean up). */
  get waiterCount(): number {
    return this.#waiters.size;
  }
}
