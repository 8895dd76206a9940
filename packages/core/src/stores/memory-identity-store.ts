import {
  toUnionAgentIdentityRecord,
  type AgentIdentityRecord,
  type StoredAgentIdentityRecord,
} from '@agent-identity/protocol';
import { isSameIdentityRecord } from '../identity/identity-record-match.js';
import type { IdentityStore } from './identity-store.js';
import { ReentrantLock } from '../primitives/reentrant-lock.js';
import { SerialQueue } from '../primitives/serial-queue.js';

/**
 * An {@link IdentityStore} in memory, with the file store's semantics (it passes the same
 * conformance suite) and an in-process lock: for tests and for hosts that keep the identity
 * elsewhere. Records are copied in and out, and kept as the union of both Codex field sets.
 */
export class MemoryIdentityStore implements IdentityStore {
  #record: AgentIdentityRecord | undefined;
  readonly #lock: ReentrantLock;

  constructor(record?: StoredAgentIdentityRecord) {
    this.#record = record === undefined ? undefined : toUnionAgentIdentityRecord(structuredClone(record));
    const queue = new SerialQueue();
    this.#lock = new ReentrantLock((section) => queue.run(section));
  }

  load(): Promise<AgentIdentityRecord | undefined> {
    return Promise.resolve(this.#record === undefined ? undefined : structuredClone(this.#record));
  }

  save(record: StoredAgentIdentityRecord): Promise<void> {
    this.#record = toUnionAgentIdentityRecord(structuredClone(record));
    return Promise.resolve();
  }

  delete(expected: StoredAgentIdentityRecord): Promise<boolean> {
    if (this.#record === undefined || !isSameIdentityRecord(this.#record, expected)) {
      return Promise.resolve(false);
    }
    this.#record = undefined;
    return Promise.resolve(true);
  }

  withExclusiveLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(fn);
  }
}
