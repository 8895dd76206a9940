import type { AgentIdentityRecord, StoredAgentIdentityRecord } from '@agent-identity/protocol';

/**
 * Where the agent identity lives (SPEC §2.2: one `agent_identity` slot in the auth file). Every
 * implementation passes `describeIdentityStoreConformance` from `@agent-identity/core/testing`.
 */
export interface IdentityStore {
  /**
   * The stored record as the union of both Codex field sets (a record of any shape is read), or
   * `undefined`. Throws `CoreError` `AUTH_FILE_CORRUPT` / `AUTH_FILE_IO`.
   */
  load(): Promise<AgentIdentityRecord | undefined>;
  /**
   * Stores `record` (any shape) in the slot as the union of both Codex field sets, which every
   * Codex reads (CODEX-CURRENT); everything else in the document is preserved.
   */
  save(record: StoredAgentIdentityRecord): Promise<void>;
  /**
   * Empties the slot only if it still holds `expected` (same `agent_runtime_id` and
   * `agent_private_key`); resolves to whether it did.
   */
  delete(expected: StoredAgentIdentityRecord): Promise<boolean>;
  /**
   * Runs `fn` while holding the store's exclusive lock: across processes for stores shared by
   * processes (the file store), so that N processes starting together register one identity.
   * Reentrant: `save`, `delete` and nested `withExclusiveLock` calls made inside `fn` (awaited by
   * it) run at once instead of waiting for `fn`.
   */
  withExclusiveLock<T>(fn: () => Promise<T>): Promise<T>;
}
