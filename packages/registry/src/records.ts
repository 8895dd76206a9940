/** A registered agent. `publicKey` is its OpenSSH public key (public by nature). */
export interface AgentRecord {
  agentRuntimeId: string;
  publicKey: string;
  accountId: string;
  userId: string;
  abom: Record<string, unknown>;
  capabilities: string[];
  /** RFC 3339 UTC with milliseconds. */
  createdAt: string;
  revokedAt: string | null;
}

export interface TaskRecord {
  taskId: string;
  agentRuntimeId: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * What a biscuit was minted for (SPEC §3.2): one call, one method, one absolute URL, one user.
 * The user is named by its ids only: access tokens never reach the registry.
 */
export interface BiscuitGrant {
  method: string;
  /** Normalized absolute URL (`new URL(…).href`). */
  url: string;
  accountId: string;
  userId: string;
  expiresAtMs: number;
}

/**
 * A change every instance on the registry must act on (drop cached answers, close sockets):
 * delivered to every subscriber of every store on the same database, the changing one included.
 */
export type RegistryChange =
  | { kind: 'agent_revoked'; agentRuntimeId: string }
  | { kind: 'task_revoked'; agentRuntimeId: string; taskId: string }
  /** Everything was cleared (the admin reset), or changes may have been missed (a lost connection). */
  | { kind: 'reset' };
