/**
 * Runs async sections one after another, in call order. A failing section does not stop the
 * queue: the next one starts once it has settled either way.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(section, section);
    this.#tail = result.then(ignore, ignore);
    return result;
  }
}

/** One {@link SerialQueue} per key (e.g. per thread); a key's queue is dropped once it is idle. */
export class KeyedSerialQueue {
  readonly #queues = new Map<string, { queue: SerialQueue; pending: number }>();

  run<T>(key: string, section: () => Promise<T>): Promise<T> {
    let entry = this.#queues.get(key);
    if (entry === undefined) {
      entry = { queue: new SerialQueue(), pending: 0 };
      this.#queues.set(key, entry);
    }
    const current = entry;
    current.pending += 1;
    return current.queue.run(section).finally(() => {
      current.pending -= 1;
      if (current.pending === 0) this.#queues.delete(key);
    });
  }
}

function ignore(): void {
  // the queue only orders sections; each caller handles its own section's outcome
}
