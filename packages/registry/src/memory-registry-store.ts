import type { TaskStatus } from '@agent-identity/verifier';
import { BoundedGrants, DEFAULT_BISCUIT_LIMITS, type BiscuitLimits } from './bounded-grants.js';
import type { AgentRecord, BiscuitGrant, RegistryChange, TaskRecord } from './records.js';
import { RegistryError } from './registry-error.js';
import type { RegistryStore } from './registry-store.js';
import { RegistrySubscribers } from './registry-subscribers.js';

/** A {@link RegistryStore} in this process's memory: tests, the demo, one instance that may forget. */
export class MemoryRegistryStore implements RegistryStore {
  readonly kind = 'memory';
  readonly #agents = new Map<string, AgentRecord>();
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #biscuits: BoundedGrants;
  readonly #subscribers = new RegistrySubscribers();

  constructor(biscuitLimits: BiscuitLimits = DEFAULT_BISCUIT_LIMITS) {
    this.#biscuits = new BoundedGrants(biscuitLimits);
  }

  /** What the outstanding biscuits cost in memory (see {@link BoundedGrants.bytes}). */
  get biscuitBytes(): number {
    return this.#biscuits.bytes;
  }

  addAgent(agent: AgentRecord): Promise<void> {
    if (this.#agents.has(agent.agentRuntimeId)) return Promise.reject(duplicate('agent', agent.agentRuntimeId));
    this.#agents.set(agent.agentRuntimeId, copyAgent(agent));
    return Promise.resolve();
  }

  addTask(task: TaskRecord): Promise<void> {
    if (this.#tasks.has(task.taskId)) return Promise.reject(duplicate('task', task.taskId));
    this.#tasks.set(task.taskId, { ...task });
    return Promise.resolve();
  }

  agent(agentRuntimeId: string): Promise<AgentRecord | undefined> {
    const agent = this.#agents.get(agentRuntimeId);
    return Promise.resolve(agent === undefined ? undefined : copyAgent(agent));
  }

  agents(): Promise<AgentRecord[]> {
    return Promise.resolve([...this.#agents.values()].map(copyAgent));
  }

  tasks(): Promise<TaskRecord[]> {
    return Promise.resolve([...this.#tasks.values()].map((task) => ({ ...task })));
  }

  activePublicKey(agentRuntimeId: string): Promise<string | undefined> {
    const agent = this.#agents.get(agentRuntimeId);
    return Promise.resolve(agent === undefined || agent.revokedAt !== null ? undefined : agent.publicKey);
  }

  taskStatus(agentRuntimeId: string, taskId: string): Promise<TaskStatus> {
    const task = this.#tasks.get(taskId);
    if (task?.agentRuntimeId !== agentRuntimeId) return Promise.resolve('unknown');
    return Promise.resolve(task.revokedAt === null ? 'active' : 'revoked');
  }

  revokeAgent(agentRuntimeId: string, at: string): Promise<AgentRecord | undefined> {
    const agent = this.#agents.get(agentRuntimeId);
    if (agent === undefined) return Promise.resolve(undefined);
    agent.revokedAt ??= at;
    this.#subscribers.publish({ kind: 'agent_revoked', agentRuntimeId });
    return Promise.resolve(copyAgent(agent));
  }

  revokeTask(taskId: string, at: string): Promise<TaskRecord | undefined> {
    const task = this.#tasks.get(taskId);
    if (task === undefined) return Promise.resolve(undefined);
    task.revokedAt ??= at;
    this.#subscribers.publish({ kind: 'task_revoked', agentRuntimeId: task.agentRuntimeId, taskId });
    return Promise.resolve({ ...task });
  }

  saveBiscuit(biscuit: string, grant: BiscuitGrant, nowMs: number): Promise<void> {
    this.#biscuits.add(biscuit, grant, nowMs);
    return Promise.resolve();
  }

  takeBiscuit(biscuit: string): Promise<BiscuitGrant | undefined> {
    return Promise.resolve(this.#biscuits.take(biscuit));
  }

  clear(): Promise<void> {
    this.#agents.clear();
    this.#tasks.clear();
    this.#biscuits.clear();
    this.#subscribers.publish({ kind: 'reset' });
    return Promise.resolve();
  }

  subscribe(listener: (change: RegistryChange) => void): () => void {
    return this.#subscribers.add(listener);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function copyAgent(agent: AgentRecord): AgentRecord {
  return { ...agent, abom: structuredClone(agent.abom), capabilities: [...agent.capabilities] };
}

function duplicate(what: 'agent' | 'task', id: string): RegistryError {
  return new RegistryError('REGISTRY_DUPLICATE_ID', `the ${what} id ${id} is already registered`);
}
