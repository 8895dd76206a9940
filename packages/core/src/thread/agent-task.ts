import type { SessionAgentTask } from '@agent-identity/protocol';

/**
 * The task a thread is registered under (SPEC §2.1), as core's API shows it. The wire shape
 * (`SessionAgentTask`, snake_case) stays in protocol: core maps it only where it reads and writes
 * `session_state` lines ({@link agentTaskOfWire}, {@link wireAgentTask}).
 */
export interface AgentTask {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  /** RFC 3339 UTC to the second as core writes it; a restored task keeps whatever string it had. */
  readonly registeredAt: string;
}

/** The task a `session_state` line records; `null` for a cleared one (`null` or no `agent_task`). */
export function agentTaskOfWire(task: SessionAgentTask): AgentTask;
export function agentTaskOfWire(task: SessionAgentTask | null | undefined): AgentTask | null;
export function agentTaskOfWire(task: SessionAgentTask | null | undefined): AgentTask | null {
  if (task == null) return null;
  return { agentRuntimeId: task.agent_runtime_id, taskId: task.task_id, registeredAt: task.registered_at };
}

/** The `agent_task` of a `session_state` line for `task`. */
export function wireAgentTask(task: AgentTask): SessionAgentTask {
  return { agent_runtime_id: task.agentRuntimeId, task_id: task.taskId, registered_at: task.registeredAt };
}

/** Equality on the three fields; two absent tasks are equal, an absent one never equals a present one. */
export function agentTaskEquals(a: AgentTask | null | undefined, b: AgentTask | null | undefined): boolean {
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  return a.agentRuntimeId === b.agentRuntimeId && a.taskId === b.taskId && a.registeredAt === b.registeredAt;
}
