import type { AgentRecord, TaskRecord } from '@agent-identity/registry';

/**
 * What the gateway reads and changes in the registry it fronts (its verdicts and the dashboard's
 * buttons). The reference backend's `BackendAdminClient` (its `/_admin` over HTTP) is one.
 */
export interface RegistryAdmin {
  agents(): Promise<readonly AgentRecord[]>;
  tasks(): Promise<readonly TaskRecord[]>;
  /** Later assertions for the task are refused with `task_invalid`. */
  revokeTask(taskId: string): Promise<void>;
  /** Later assertions of the agent are refused with `unknown_agent`. */
  revokeAgent(agentRuntimeId: string): Promise<void>;
}
