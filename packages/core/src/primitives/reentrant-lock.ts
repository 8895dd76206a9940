import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The sections held by the current async call chain, for every lock of the process. One storage
 * for all locks: Node 20 never releases an `AsyncLocalStorage`, and each one slows every async hop
 * of the process, so one per lock (per store) would make a process with many stores slower.
 */
const heldSections = new AsyncLocalStorage<ReadonlyMap<ReentrantLock, { held: boolean }>>();

/**
 * Makes a lock reentrant within one async call chain: code running inside a held section (and
 * everything it awaits) enters again at once instead of waiting for itself. That is what lets a
 * store's `save` take the lock itself and still be called from inside `withExclusiveLock`.
 * A continuation that outlives its section (started but not awaited) does not inherit the lock.
 */
export class ReentrantLock {
  readonly #acquire: <T>(section: () => Promise<T>) => Promise<T>;

  /** `acquire` runs a section under the underlying (non-reentrant) lock. */
  constructor(acquire: <T>(section: () => Promise<T>) => Promise<T>) {
    this.#acquire = acquire;
  }

  run<T>(section: () => Promise<T>): Promise<T> {
    const held = heldSections.getStore();
    if (held?.get(this)?.held === true) return section();
    return this.#acquire(async () => {
      const hold = { held: true };
      try {
        return await heldSections.run(new Map(held).set(this, hold), section);
      } finally {
        hold.held = false;
      }
    });
  }
}
