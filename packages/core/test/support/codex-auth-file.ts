import { encodeBase64UrlNoPad, type StoredAgentIdentityRecord } from '@agent-identity/protocol';
import type { BackendUser } from '@agent-identity/reference-backend';

/** A Codex-style unsigned ID token carrying `user`'s auth claims (its signature is not ours to check). */
function codexIdToken(user: BackendUser): string {
  const segment = (value: unknown) => encodeBase64UrlNoPad(new TextEncoder().encode(JSON.stringify(value)));
  const claims = { chatgpt_account_id: user.accountId, chatgpt_user_id: user.userId };
  return [
    segment({ alg: 'RS256', typ: 'JWT' }),
    segment({ 'https://api.openai.com/auth': claims }),
    'c2lnbmF0dXJl',
  ].join('.');
}

/**
 * A Codex auth file of a ChatGPT login, with the keys other software owns (one of them unknown to
 * us), pretty-printed as Codex writes it; `agentIdentity` fills our slot.
 */
export function codexAuthFile(user: BackendUser, agentIdentity?: StoredAgentIdentityRecord): Record<string, unknown> {
  return {
    OPENAI_API_KEY: null,
    tokens: {
      id_token: codexIdToken(user),
      access_token: user.accessToken,
      refresh_token: 'refresh-token-never-logged',
      account_id: user.accountId,
    },
    last_refresh: '2026-04-19T20:00:00.123456Z',
    a_key_from_a_newer_codex: { nested: [1, 'two', null] },
    ...(agentIdentity === undefined ? {} : { agent_identity: agentIdentity }),
  };
}
