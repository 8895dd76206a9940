import type { AgentIdentityRecord } from '@agent-identity/protocol';
import type { Login } from '../stores/login.js';

/**
 * Which (workspace, user) an identity belongs to, derived from the current login (SPEC §2.3).
 * Never stored: the record in the store carries its own workspace and user ids.
 */
export interface AgentBinding {
  /** `"chatgpt-account-" + chatgptAccountId`. */
  readonly bindingId: string;
  readonly chatgptAccountId: string;
  /** The ID token's `chatgpt_user_id`, when the login has a non-empty one. */
  readonly chatgptUserId: string | undefined;
}

const BINDING_ID_PREFIX = 'chatgpt-account-';

/**
 * The binding of `login` (SPEC §2.3): only a ChatGPT login has one; its account is the forced
 * workspace when that is non-empty, else the login's account when that is non-empty, else there
 * is no binding.
 */
export function deriveBinding(
  login: Login | undefined,
  forcedWorkspaceId: string | undefined,
): AgentBinding | undefined {
  if (login?.mode !== 'chatgpt') return undefined;
  const chatgptAccountId = nonEmpty(forcedWorkspaceId) ?? nonEmpty(login.accountId);
  if (chatgptAccountId === undefined) return undefined;
  return {
    bindingId: BINDING_ID_PREFIX + chatgptAccountId,
    chatgptAccountId,
    chatgptUserId: nonEmpty(login.userId),
  };
}

/**
 * The match rule (SPEC §2.3): same workspace, and when the current binding knows its user the
 * record's user must be that one (a binding without a user id accepts any record of the workspace).
 */
export function recordMatchesBinding(record: AgentIdentityRecord, binding: AgentBinding): boolean {
  if (record.workspace_id !== binding.chatgptAccountId) return false;
  return binding.chatgptUserId === undefined || record.chatgpt_user_id === binding.chatgptUserId;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
