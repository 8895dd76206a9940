import type { RegistryChange } from './records.js';

/** The listeners of one store. A listener that throws does not keep the change from the others. */
export class RegistrySubscribers {
  readonly #listeners = new Set<(change: RegistryChange) => void>();

  add(listener: (change: RegistryChange) => void): () => void {
    // A wrapper of its own, so subscribing one function twice gives two independent subscriptions.
    const entry = (change: RegistryChange): void => {
      listener(change);
    };
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  publish(change: RegistryChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A subscriber's own failure is its own: the others still learn of the change.
      }
    }
  }
}
