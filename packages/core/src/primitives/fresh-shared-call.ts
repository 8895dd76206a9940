/** A run in flight for one key, and the one queued behind it for the callers who came too late. */
interface Runs<V> {
  running: Promise<V>;
  next: Promise<V> | undefined;
}

/**
 * Shares a call among concurrent callers without ever answering one of them with a run that began
 * before it asked: `call(key)` resolves with a run of `run(key)` that began after the call. Callers
 * that arrive while one run is in flight share the next, so a thousand callers at once cost two or
 * three runs, not a thousand, with the same guarantee each (group commit, for fsyncs and stats).
 */
export class FreshSharedCall<V> {
  readonly #runs = new Map<string, Runs<V>>();
  readonly #run: (key: string) => Promise<V>;

  constructor(run: (key: string) => Promise<V>) {
    this.#run = run;
  }

  call(key: string): Promise<V> {
    const runs = this.#runs.get(key);
    if (runs === undefined) return this.#start(key);
    // The running one may have begun before this call: wait for the one after it.
    runs.next ??= runs.running.then(
      () => this.#start(key),
      () => this.#start(key),
    );
    return runs.next;
  }

  #start(key: string): Promise<V> {
    const running = this.#run(key);
    const runs: Runs<V> = { running, next: undefined };
    this.#runs.set(key, runs);
    const settle = (): void => {
      if (this.#runs.get(key) === runs && runs.next === undefined) this.#runs.delete(key);
    };
    running.then(settle, settle);
    return running;
  }
}
