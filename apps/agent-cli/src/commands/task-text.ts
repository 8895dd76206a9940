import type { SessionAgentTask } from '@agent-identity/protocol';

/** A task in one line of human output. */
export function describeTask(task: SessionAgentTask | null | undefined): string {
  if (task == null) return 'none';
  return `${task.task_id} (agent ${task.agent_runtime_id}, registered ${task.registered_at})`;
}
