import * as z from 'zod/mini';
import { AuthFileError } from './errors.js';
import { describeSchemaIssue, formatIssuePath } from './schema-issue.js';

/**
 * The `agent_identity` record of the auth file (SPEC §2.2, CODEX-CURRENT "The auth.json record").
 * Two Codex generations read it with different required fields, and each rewrites it in its own
 * shape, dropping what it does not know. So a store reads any shape and always writes the
 * {@link AgentIdentityRecord union}, which both generations load. Every object is loose: unknown
 * keys survive a rewrite, in their order.
 */

/** The fields Codex 0.122–0.123 requires (SPEC §2.2); `chatgpt_user_id` may be absent or null. */
export const Codex0122AgentIdentityRecord = z.looseObject({
  workspace_id: z.string(),
  chatgpt_user_id: z.optional(z.nullable(z.string())),
  agent_runtime_id: z.string(),
  /** Standard base64 of the PKCS#8 DER private key. A secret. */
  agent_private_key: z.string(),
  /** Written as RFC 3339 UTC to the second; read as any string (nothing interprets it). */
  registered_at: z.string(),
});
export type Codex0122AgentIdentityRecord = z.infer<typeof Codex0122AgentIdentityRecord>;

/**
 * The fields Codex 0.169–0.171 requires (checked with `codex login status`): `chatgpt_user_id`,
 * `plan_type` and `chatgpt_account_is_fedramp` must be present and non-null, `email` may be absent
 * or null, `task_id` is the identity's one task (current profile) when it has one.
 */
export const CodexCurrentAgentIdentityRecord = z.looseObject({
  agent_runtime_id: z.string(),
  agent_private_key: z.string(),
  account_id: z.string(),
  chatgpt_user_id: z.string(),
  email: z.optional(z.nullable(z.string())),
  plan_type: z.string(),
  chatgpt_account_is_fedramp: z.boolean(),
  task_id: z.optional(z.nullable(z.string())),
});
export type CodexCurrentAgentIdentityRecord = z.infer<typeof CodexCurrentAgentIdentityRecord>;

/**
 * The record every Codex reads: both field sets. `workspace_id` and `account_id` name the same
 * account; `chatgpt_user_id` is `""` when unknown (a current Codex refuses null). What we write.
 */
export const AgentIdentityRecord = z.looseObject({
  ...Codex0122AgentIdentityRecord.shape,
  ...CodexCurrentAgentIdentityRecord.shape,
  chatgpt_user_id: z.string(),
  email: z.string(),
});
export type AgentIdentityRecord = z.infer<typeof AgentIdentityRecord>;

/** A record as it may be found in the slot: written by Codex 0.122, by a current Codex, or by us. */
export type StoredAgentIdentityRecord = Codex0122AgentIdentityRecord | CodexCurrentAgentIdentityRecord;

/**
 * What a slot must hold to be read at all: the key, the runtime id and the account under either
 * name, every other field of either shape optional (filled in by {@link toUnionAgentIdentityRecord}).
 */
const ReadableAgentIdentityRecord = z
  .looseObject({
    workspace_id: z.optional(z.string()),
    account_id: z.optional(z.string()),
    chatgpt_user_id: z.optional(z.nullable(z.string())),
    agent_runtime_id: z.string(),
    agent_private_key: z.string(),
    registered_at: z.optional(z.string()),
    email: z.optional(z.nullable(z.string())),
    plan_type: z.optional(z.nullable(z.string())),
    chatgpt_account_is_fedramp: z.optional(z.nullable(z.boolean())),
    task_id: z.optional(z.nullable(z.string())),
  })
  .check(
    z.superRefine((record, context) => {
      if (record.workspace_id === undefined && record.account_id === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['workspace_id'],
          message: 'must be a string (or account_id must be)',
        });
      } else if (
        record.workspace_id !== undefined &&
        record.account_id !== undefined &&
        record.workspace_id !== record.account_id
      ) {
        context.addIssue({ code: 'custom', path: ['account_id'], message: 'must equal workspace_id' });
      }
    }),
  );

/**
 * Checks the value of the `agent_identity` key: a record of any of the shapes above (the account
 * as `workspace_id`, `account_id` or both, and equal). Returns the value itself, unknown keys
 * included; throws {@link AuthFileError} with the field path, never the value.
 */
export function parseAgentIdentityRecord(value: unknown): StoredAgentIdentityRecord {
  const issue = ReadableAgentIdentityRecord.safeParse(value).error?.issues[0];
  if (issue !== undefined) {
    const path = ['agent_identity', ...issue.path];
    throw new AuthFileError('invalid_field', describeSchemaIssue('field', path, issue), formatIssuePath(path));
  }
  return value as StoredAgentIdentityRecord;
}

/**
 * What the union needs that a record may lack, known from the login (the ID token's claims) when
 * there is one. Each default below is what is written when neither the record nor this knows it.
 */
export interface AgentIdentityRecordFill {
  /** Default `""` (CODEX-CURRENT: `email` is `""` when unknown). */
  readonly email?: string | undefined;
  /** The ID token's `chatgpt_plan_type`. Default {@link DEFAULT_PLAN_TYPE}. */
  readonly planType?: string | undefined;
  /** Default `false`: only a FedRAMP login says otherwise. */
  readonly chatgptAccountIsFedramp?: boolean | undefined;
}

/**
 * `plan_type` when nothing says it: a current Codex reads any string there, and an unknown plan
 * name is what it keeps for plans it does not know.
 */
export const DEFAULT_PLAN_TYPE = 'unknown';

/**
 * `registered_at` of a record a current Codex wrote (it has no such field): the Unix epoch, an
 * honest "unknown" that Codex 0.122 reads (any string) and nothing interprets.
 */
export const UNKNOWN_REGISTERED_AT = '1970-01-01T00:00:00Z';

/**
 * The union of both field sets for any readable record: the record's own values win, then `fill`,
 * then the documented defaults. Unknown keys and the record's key order are kept; new fields are
 * appended. A null `task_id` (no task) is dropped.
 */
export function toUnionAgentIdentityRecord(
  record: StoredAgentIdentityRecord | AgentIdentityRecord,
  fill: AgentIdentityRecordFill = {},
): AgentIdentityRecord {
  const read: Readonly<Record<string, unknown>> = record;
  const account = stringOr(read.workspace_id, stringOr(read.account_id, ''));
  const union: AgentIdentityRecord = {
    ...read,
    workspace_id: account,
    chatgpt_user_id: stringOr(read.chatgpt_user_id, ''),
    agent_runtime_id: record.agent_runtime_id,
    agent_private_key: record.agent_private_key,
    registered_at: stringOr(read.registered_at, UNKNOWN_REGISTERED_AT),
    account_id: account,
    email: stringOr(read.email, fill.email ?? ''),
    plan_type: stringOr(read.plan_type, fill.planType ?? DEFAULT_PLAN_TYPE),
    chatgpt_account_is_fedramp:
      typeof read.chatgpt_account_is_fedramp === 'boolean'
        ? read.chatgpt_account_is_fedramp
        : (fill.chatgptAccountIsFedramp ?? false),
  };
  if (typeof read.task_id !== 'string') delete union.task_id;
  return union;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
