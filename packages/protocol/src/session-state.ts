import * as z from 'zod/mini';

/**
 * The task a thread is registered under (SPEC §2.1, §2.5). We write `registered_at` as RFC 3339
 * UTC to the second (`formatSecondsTimestamp`); reading accepts any string, as Rust's `String`
 * field does: nothing interprets it, and a thread must never lose its task over its format.
 */
export const SessionAgentTask = z.object({
  agent_runtime_id: z.string(),
  task_id: z.string(),
  registered_at: z.string(),
});
export type SessionAgentTask = z.infer<typeof SessionAgentTask>;

/**
 * Structural equality on the three fields (extra keys a newer Codex may add are ignored). Two
 * absent tasks (`null`/`undefined`) are equal; an absent task never equals a present one.
 */
export function sessionAgentTaskEquals(
  a: SessionAgentTask | null | undefined,
  b: SessionAgentTask | null | undefined,
): boolean {
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  return a.agent_runtime_id === b.agent_runtime_id && a.task_id === b.task_id && a.registered_at === b.registered_at;
}

/**
 * `session_state` payload: `agent_task` is a task, `null` (cleared) or absent (also cleared, see
 * {@link sessionStateTask}). Loose, so fields a newer Codex adds survive a rewrite.
 */
export const SessionStatePayload = z.looseObject({
  agent_task: z.optional(z.nullable(SessionAgentTask)),
});
export type SessionStatePayload = z.infer<typeof SessionStatePayload>;

/** The task a payload records; `null` when it is cleared or has no `agent_task` key. */
export function sessionStateTask(payload: SessionStatePayload): SessionAgentTask | null {
  return payload.agent_task ?? null;
}
