import { AgentSigningKey } from '@agent-identity/crypto';
import { encodeBase64UrlNoPad, toUnionAgentIdentityRecord, type AgentIdentityRecord } from '@agent-identity/protocol';
import { USER } from './users.js';

const base64url = (value: unknown) => encodeBase64UrlNoPad(new TextEncoder().encode(JSON.stringify(value)));

/**
 * The keys of a Codex auth file that belong to other software (the login of {@link USER}, with an
 * ID token carrying its account and user claims, and a key we do not know): a rewrite of our slot
 * must keep them as they are.
 */
export const OTHER_SOFTWARES_KEYS = {
  OPENAI_API_KEY: null,
  tokens: {
    id_token: [
      base64url({ alg: 'RS256', typ: 'JWT' }),
      base64url({
        'https://api.openai.com/auth': { chatgpt_account_id: USER.accountId, chatgpt_user_id: USER.userId },
      }),
      'c2lnbmF0dXJl',
    ].join('.'),
    access_token: USER.accessToken,
    refresh_token: 'reliability-refresh-token-never-logged',
    account_id: USER.accountId,
  },
  last_refresh: '2026-04-19T20:00:00.123456Z',
  a_key_of_a_later_codex: { nested: [1, 'two', null] },
} as const;

/**
 * A valid identity record of {@link USER} with a fresh key (not registered at any backend), as the
 * store writes it: the union of both Codex field sets.
 */
export function identityRecord(agentRuntimeId: string): AgentIdentityRecord {
  return toUnionAgentIdentityRecord({
    workspace_id: USER.accountId,
    chatgpt_user_id: USER.userId,
    agent_runtime_id: agentRuntimeId,
    agent_private_key: AgentSigningKey.generate().toPkcs8Base64(),
    registered_at: '2026-04-19T22:45:28Z',
  });
}
