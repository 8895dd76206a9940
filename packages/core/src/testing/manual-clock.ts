import type { Timers } from '../runtime/timers.js';

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly delayMs: number;
  readonly callback: () => void;
}

/**
 * A clock and timers that move only when told to (`advance`), injected through the runtime's
 * `now` and `timers` options: tests observe the delays the runtime asks for (a `Retry-After`, a
 * per-call timeout) without waiting for them and without patching globals.
 */
export class ManualClock {
  #nowMs: number;
  #nextId = 1;
  #pending: PendingTimer[] = [];
  readonly #scheduled: number[] = [];
  readonly #watchers = new Set<{ delayMs: number; wake: () => void }>();

  /** Starts at `startMs` (default: the real time now, so a real backend accepts its timestamps). */
  constructor(startMs: number = Date.now()) {
    this.#nowMs = startMs;
  }

  /** Epoch milliseconds (pass as the `now` option). */
  readonly now = (): number => this.#nowMs;

  /** Pass as the `timers` option. */
  readonly timers: Timers = {
    setTimeout: (callback, delayMs) => {
      const timer = { id: this.#nextId++, dueMs: this.#nowMs + delayMs, delayMs, callback };
      this.#pending.push(timer);
      this.#scheduled.push(delayMs);
      for (const watcher of [...this.#watchers]) {
        if (watcher.delayMs === delayMs) {
          this.#watchers.delete(watcher);
          watcher.wake();
        }
      }
      return timer.id;
    },
    clearTimeout: (handle) => {
      this.#pending = this.#pending.filter((timer) => timer.id !== handle);
    },
  };

  /** The delay of every timer ever scheduled, in order. */
  get scheduledDelays(): readonly number[] {
    return [...this.#scheduled];
  }

  /** The delays of the timers that have neither fired nor been cleared. */
  get pendingDelays(): readonly number[] {
    return this.#pending.map((timer) => timer.delayMs);
  }

  /** Resolves once a timer of exactly `delayMs` is pending. */
  whenPending(delayMs: number): Promise<void> {
    if (this.#pending.some((timer) => timer.delayMs === delayMs)) return Promise.resolve();
    return new Promise((resolve) => {
      this.#watchers.add({ delayMs, wake: resolve });
    });
  }

  /** Moves time forward by `ms`, firing the timers that fall due, earliest first. */
  advance(ms: number): void {
    const targetMs = this.#nowMs + ms;
    for (;;) {
      const due = this.#pending
        .filter((timer) => timer.dueMs <= targetMs)
        .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (due === undefined) break;
      this.#pending = this.#pending.filter((timer) => timer !== due);
      this.#nowMs = Math.max(this.#nowMs, due.dueMs);
      due.callback();
    }
    this.#nowMs = targetMs;
  }
}
