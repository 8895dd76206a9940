import type { StoredAgentIdentityRecord } from '@agent-identity/protocol';

/**
 * Whether the slot still holds `expected` for a compare-and-delete: the same registration (runtime
 * id) with the same key. Other fields may be rewritten by a newer Codex without making it another
 * identity.
 */
export function isSameIdentityRecord(stored: StoredAgentIdentityRecord, expected: StoredAgentIdentityRecord): boolean {
  return (
    stored.agent_runtime_id === expected.agent_runtime_id && stored.agent_private_key === expected.agent_private_key
  );
}
