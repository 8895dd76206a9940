import type { TaskStatus } from '@agent-identity/verifier';
import type { AgentRecord, StateSnapshot, TaskRecord } from './records.js';

/**
 * The backend's durable state: registered agents and tasks. Records handed out are copies, so no
 * caller can change the state behind the persistence's back.
 */
export class BackendState {
  readonly #agents = new Map<string, AgentRecord>();
  readonly #tasks = new Map<string, TaskRecord>();

  constructor(snapshot?: StateSnapshot) {
    for (const agent of snapshot?.agents ?? []) this.#agents.set(agent.agentRuntimeId, { ...agent });
    for (const task of snapshot?.tasks ?? []) this.#tasks.set(task.taskId, { ...task });
  }

  addAgent(agent: AgentRecord): void {
    this.#agents.set(agent.agentRuntimeId, { ...agent });
  }

  addTask(task: TaskRecord): void {
    this.#tasks.set(task.taskId, { ...task });
  }

  agent(agentRuntimeId: string): AgentRecord | undefined {
    const agent = this.#agents.get(agentRuntimeId);
    return agent === undefined ? undefined : { ...agent };
  }

  agents(): AgentRecord[] {
    return [...this.#agents.values()].map((agent) => ({ ...agent }));
  }

  tasks(): TaskRecord[] {
    return [...this.#tasks.values()].map((task) => ({ ...task }));
  }

  /** The SSH key of an agent that exists and is not revoked (the verifier's key registry). */
  activePublicKey(agentRuntimeId: string): string | undefined {
    const agent = this.#agents.get(agentRuntimeId);
    return agent === undefined || agent.revokedAt !== null ? undefined : agent.publicKey;
  }

  /** The verifier's task registry: a task of another agent is unknown to this one. */
  taskStatus(agentRuntimeId: string, taskId: string): TaskStatus {
    const task = this.#tasks.get(taskId);
    if (task?.agentRuntimeId !== agentRuntimeId) return 'unknown';
    return task.revokedAt === null ? 'active' : 'revoked';
  }

  /** Marks the agent revoked (first revocation time kept); `undefined` if unknown. */
  revokeAgent(agentRuntimeId: string, at: string): AgentRecord | undefined {
    const agent = this.#agents.get(agentRuntimeId);
    if (agent === undefined) return undefined;
    agent.revokedAt ??= at;
    return { ...agent };
  }

  revokeTask(taskId: string, at: string): TaskRecord | undefined {
    const task = this.#tasks.get(taskId);
    if (task === undefined) return undefined;
    task.revokedAt ??= at;
    return { ...task };
  }

  clear(): void {
    this.#agents.clear();
    this.#tasks.clear();
  }

  snapshot(): StateSnapshot {
    return { version: 1, agents: this.agents(), tasks: this.tasks() };
  }
}
