import { z } from 'zod';

/** A registered agent. `publicKey` is its OpenSSH public key (public by nature). */
export const AgentRecord = z.object({
  agentRuntimeId: z.string(),
  publicKey: z.string(),
  accountId: z.string(),
  userId: z.string(),
  abom: z.record(z.string(), z.unknown()),
  capabilities: z.array(z.string()),
  /** RFC 3339 UTC with milliseconds. */
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type AgentRecord = z.infer<typeof AgentRecord>;

export const TaskRecord = z.object({
  taskId: z.string(),
  agentRuntimeId: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type TaskRecord = z.infer<typeof TaskRecord>;

/** What the data file holds: agents and tasks, never biscuits, tokens or counters. */
export const StateSnapshot = z.object({
  version: z.literal(1),
  agents: z.array(AgentRecord),
  tasks: z.array(TaskRecord),
});
export type StateSnapshot = z.infer<typeof StateSnapshot>;
