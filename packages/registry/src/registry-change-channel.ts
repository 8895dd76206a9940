import type { RegistryChange } from './records.js';

/** The `NOTIFY` channel every instance on one database listens on. */
export const REGISTRY_CHANNEL = 'agent_identity_registry';

/** A notification's payload as a change; `undefined` for anything else (another program's notice). */
export function parseRegistryChange(payload: string): RegistryChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const change = value as Partial<Record<'kind' | 'agentRuntimeId' | 'taskId', unknown>>;
  if (change.kind === 'reset') return { kind: 'reset' };
  if (typeof change.agentRuntimeId !== 'string') return undefined;
  if (change.kind === 'agent_revoked') return { kind: 'agent_revoked', agentRuntimeId: change.agentRuntimeId };
  if (change.kind === 'task_revoked' && typeof change.taskId === 'string') {
    return { kind: 'task_revoked', agentRuntimeId: change.agentRuntimeId, taskId: change.taskId };
  }
  return undefined;
}
