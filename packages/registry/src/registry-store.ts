import type { TaskStatus } from '@agent-identity/verifier';
import type { AgentRecord, BiscuitGrant, RegistryChange, TaskRecord } from './records.js';

/** Which implementation a store is: what the backend's banner prints. */
export type RegistryStoreKind = 'memory' | 'pglite' | 'postgres';

/**
 * The backend's state: agents, tasks (with their revocations) and outstanding biscuits. Records
 * handed out are copies. Every write is one atomic statement: a process killed mid-call leaves
 * the record whole or absent. Database failures are `RegistryError` `REGISTRY_UNAVAILABLE`.
 */
export interface RegistryStore {
  readonly kind: RegistryStoreKind;
  /** Stores a new agent; `REGISTRY_DUPLICATE_ID` if its id exists (nothing changes). */
  addAgent(agent: AgentRecord): Promise<void>;
  /** Stores a new task of an existing agent; `REGISTRY_DUPLICATE_ID` if its id exists. */
  addTask(task: TaskRecord): Promise<void>;
  agent(agentRuntimeId: string): Promise<AgentRecord | undefined>;
  /** Every agent, in registration order. */
  agents(): Promise<AgentRecord[]>;
  /** Every task, in registration order. */
  tasks(): Promise<TaskRecord[]>;
  /** The SSH key of an agent that exists and is not revoked (the verifier's key registry). */
  activePublicKey(agentRuntimeId: string): Promise<string | undefined>;
  /** The verifier's task registry: a task of another agent is `'unknown'` to this one. */
  taskStatus(agentRuntimeId: string, taskId: string): Promise<TaskStatus>;
  /** Marks the agent revoked (the first revocation time is kept) and tells every subscriber; `undefined` if unknown. */
  revokeAgent(agentRuntimeId: string, at: string): Promise<AgentRecord | undefined>;
  /** Marks the task revoked (the first revocation time is kept) and tells every subscriber; `undefined` if unknown. */
  revokeTask(taskId: string, at: string): Promise<TaskRecord | undefined>;
  /** Keeps a grant until it is taken or expires; grants expired at `nowMs` may be dropped. */
  saveBiscuit(biscuit: string, grant: BiscuitGrant, nowMs: number): Promise<void>;
  /**
   * Removes the biscuit's grant and returns it: of every caller on every instance, exactly one
   * gets it. `undefined` when it is unknown or already taken.
   */
  takeBiscuit(biscuit: string): Promise<BiscuitGrant | undefined>;
  /** Forgets everything and tells every subscriber (`reset`). */
  clear(): Promise<void>;
  /** Calls `listener` for every change of any store on the same registry; returns the unsubscribe. */
  subscribe(listener: (change: RegistryChange) => void): () => void;
  /** Releases connections (a store it was handed, like a caller's pool, stays open). */
  close(): Promise<void>;
}
