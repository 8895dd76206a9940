import * as z from 'zod/mini';
import { AgentIdentityError } from './errors.js';
import { describeSchemaIssue } from './schema-issue.js';
import { SessionAgentTask, SessionStatePayload, sessionStateTask } from './session-state.js';
import { formatMillisTimestamp } from './timestamps.js';

/**
 * One line of a Codex rollout (SPEC §2.1): `{"timestamp", "type", "payload"}`. Only
 * `session_state` is ours and checked strictly; the other variants are loose objects typed with the
 * few fields this project reads, and every unknown key survives (see the codec: decoded lines are
 * the parsed JSON values themselves, never objects rebuilt by zod).
 */

/** `{"timestamp", "type": type, "payload"}`: every line's envelope around its variant's payload. */
function rolloutLineSchema<const Type extends string, Payload extends z.ZodMiniType>(type: Type, payload: Payload) {
  return z.looseObject({ timestamp: z.string(), type: z.literal(type), payload });
}

/** The thread's first line; `payload.id` is the thread id. */
export const SessionMetaLine = rolloutLineSchema('session_meta', z.looseObject({ id: z.string() }));
export type SessionMetaLine = z.infer<typeof SessionMetaLine>;

export const SessionStateLine = rolloutLineSchema('session_state', SessionStatePayload);
export type SessionStateLine = z.infer<typeof SessionStateLine>;

export const ResponseItemLine = rolloutLineSchema('response_item', z.looseObject({ type: z.string() }));
export type ResponseItemLine = z.infer<typeof ResponseItemLine>;

export const CompactedLine = rolloutLineSchema('compacted', z.looseObject({}));
export type CompactedLine = z.infer<typeof CompactedLine>;

export const TurnContextLine = rolloutLineSchema('turn_context', z.looseObject({}));
export type TurnContextLine = z.infer<typeof TurnContextLine>;

export const EventMsgLine = rolloutLineSchema('event_msg', z.looseObject({ type: z.string() }));
export type EventMsgLine = z.infer<typeof EventMsgLine>;

/** The session's lines: its first line, and ours. */
const sessionLines = [SessionMetaLine, SessionStateLine] as const;
/** The conversation's lines, read loosely. */
const conversationLines = [ResponseItemLine, CompactedLine, TurnContextLine, EventMsgLine] as const;

/** The six variants Codex writes, discriminated by `type`. */
export const KnownRolloutLine = z.discriminatedUnion('type', [...sessionLines, ...conversationLines]);
export type KnownRolloutLine = z.infer<typeof KnownRolloutLine>;
export type RolloutLineType = KnownRolloutLine['type'];

/** The payload schema of each known variant, keyed by `type`. */
export const rolloutPayloadSchemas: ReadonlyMap<string, z.ZodMiniType> = new Map<RolloutLineType, z.ZodMiniType>(
  KnownRolloutLine.def.options.flatMap((variant) =>
    variant.shape.type.def.values.map((type) => [type, variant.shape.payload] as const),
  ),
);

/** A line of a variant this version does not know (a newer Codex's): kept exactly as it is. */
export const OpaqueRolloutLine = z.looseObject({
  timestamp: z.string(),
  type: z
    .string()
    .check(z.refine((type) => !rolloutPayloadSchemas.has(type), { error: 'must not be a known rollout line type' })),
  payload: z.optional(z.unknown()),
});
export type OpaqueRolloutLine = z.infer<typeof OpaqueRolloutLine>;

export const RolloutLine = z.union([KnownRolloutLine, OpaqueRolloutLine]);
export type RolloutLine = z.infer<typeof RolloutLine>;

/**
 * Narrows to the known variants, after which `switch (line.type)` discriminates (an opaque line's
 * `type` is any string, which keeps TypeScript from narrowing the full union by `type`).
 */
export function isKnownRolloutLine(line: RolloutLine): line is KnownRolloutLine {
  return rolloutPayloadSchemas.has(line.type);
}

export function isSessionStateLine(line: RolloutLine): line is SessionStateLine {
  return line.type === 'session_state';
}

/**
 * A `session_state` line recording `task` (or `null`: cleared) at `epochMs`, built so that its
 * JSON is exactly SPEC §2.1's layout: keys in order, only the task's three fields. Throws
 * `SESSION_AGENT_TASK_INVALID` for a task that would not read back (e.g. a `registered_at` that is
 * not `YYYY-MM-DDTHH:MM:SSZ`).
 */
export function sessionStateLine(task: SessionAgentTask | null, epochMs: number): SessionStateLine {
  return {
    timestamp: formatMillisTimestamp(epochMs),
    type: 'session_state',
    payload: { agent_task: task === null ? null : canonicalTask(task) },
  };
}

function canonicalTask(task: SessionAgentTask): SessionAgentTask {
  const result = SessionAgentTask.safeParse(task);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AgentIdentityError(
      'SESSION_AGENT_TASK_INVALID',
      issue === undefined
        ? 'session agent task is invalid'
        : describeSchemaIssue('session agent task', issue.path, issue),
    );
  }
  return {
    agent_runtime_id: task.agent_runtime_id,
    task_id: task.task_id,
    registered_at: task.registered_at,
  };
}

/**
 * The task recorded by the newest `session_state` line (SPEC §4.5): a task, `null` when that line
 * clears it, or `undefined` when there is no state line at all (leave the in-memory task alone).
 */
export function newestAgentTaskOfLines(lines: readonly RolloutLine[]): SessionAgentTask | null | undefined {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index];
    if (line !== undefined && isSessionStateLine(line)) return sessionStateTask(line.payload);
  }
  return undefined;
}
