import { SessionAgentTask } from '@agent-identity/protocol';
import { z } from 'zod';

/*
 * The `--json` output of the commands: one schema per shape, used to type what the commands print
 * and to read it back where the demo runs the CLI as a second process. snake_case, like every JSON
 * document of the protocol.
 */

/** Registrations this process made. */
export const RegistrationsReport = z.object({ identity: z.number().int(), task: z.number().int() });
export type RegistrationsReport = z.infer<typeof RegistrationsReport>;

export const IdentityReport = z.object({
  agent_runtime_id: z.string(),
  workspace_id: z.string(),
  chatgpt_user_id: z.string().nullable(),
  public_key_ssh: z.string(),
  registered_at: z.string(),
  auth_file: z.string(),
  registered_in_this_run: z.boolean().optional(),
});
export type IdentityReport = z.infer<typeof IdentityReport>;

export const ThreadReport = z.object({
  thread_id: z.string(),
  rollout_path: z.string(),
  /** The SPEC's `SessionAgentTask`, or `null`. */
  agent_task: z.nullable(SessionAgentTask),
  created_at: z.string().optional(),
  /** `thread resume`: the task its rollout held before this run. */
  restored_task: z.nullable(SessionAgentTask).optional(),
  /** `thread start` / `resume`. */
  task_registered_in_this_run: z.boolean().optional(),
  registrations_in_this_run: RegistrationsReport.optional(),
  /** `thread show`: every `session_state` of the rollout, oldest first. */
  session_states: z.array(z.object({ timestamp: z.string(), agent_task: z.nullable(SessionAgentTask) })).optional(),
});
export type ThreadReport = z.infer<typeof ThreadReport>;

export const TurnReport = z.object({
  thread_id: z.string(),
  transport: z.enum(['http', 'ws']),
  auth_scheme: z.enum(['assertion', 'bearer', 'none']),
  /** The task the answer was authorized with. */
  agent_task: z.nullable(SessionAgentTask),
  response_id: z.string().nullable(),
  output_text: z.string(),
  task_registered_in_this_run: z.boolean(),
  registrations_in_this_run: RegistrationsReport,
  /** The task the service refused as invalid, when the turn recovered with a new one. */
  recovered_from: z.nullable(SessionAgentTask),
  rollout_path: z.string(),
});
export type TurnReport = z.infer<typeof TurnReport>;
