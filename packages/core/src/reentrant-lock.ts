import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Makes a lock reentrant within one async call chain: code running inside a held section (and
 * everything it awaits) enters again at once instead of waiting for itself. That is what lets a
 * store's `save` take the lock itself and still be called from inside `withExclusiveLock`.
 * A continuation that outlives its section (started but not awaited) does not inherit the lock.
 */
export class ReentrantLock {
  readonly #acquire: <T>(section: () => Promise<T>) => Promise<T>;
  readonly #holder = new AsyncLocalStorage<{ held: boolean }>();

  /** `acquire` runs a section under the underlying (non-reentrant) lock. */
  constructor(acquire: <T>(section: () => Promise<T>) => Promise<T>) {
    this.#acquire = acquire;
  }

  run<T>(section: () => Promise<T>): Promise<T> {
    if (this.#holder.getStore()?.held === true) return section();
    return this.#acquire(async () => {
      const hold = { held: true };
      try {
        return await this.#holder.run(hold, section);
      } finally {
        hold.held = false;
      }
    });
  }
}
