/**
 * Where the verifier finds an agent's registered public key: its OpenSSH form
 * (`ssh-ed25519 AAAA…`), or `undefined` when the runtime id is unknown or revoked. May be async
 * (a database); an error it throws propagates to the caller of the verification.
 */
export interface AgentKeyRegistry {
  publicKey(agentRuntimeId: string): Promise<string | undefined> | string | undefined;
}

/** `revoked`: the task existed for this agent and was revoked (distinct from never known). */
export type TaskStatus = 'active' | 'revoked' | 'unknown';

/**
 * Which tasks exist for which agent. A task of another agent is `'unknown'` for this one. May be
 * async; an error it throws propagates to the caller of the verification.
 */
export interface TaskRegistry {
  taskStatus(agentRuntimeId: string, taskId: string): Promise<TaskStatus> | TaskStatus;
}
