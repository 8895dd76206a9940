import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBase64UrlNoPad, serializeAuthFile } from '@agent-identity/protocol';
import type { BackendUser } from '@agent-identity/reference-backend';

const jwtPart = (value: unknown): string => encodeBase64UrlNoPad(new TextEncoder().encode(JSON.stringify(value)));

/**
 * An ID token as Codex reads one: JWT-shaped, its payload carrying the `https://api.openai.com/auth`
 * claims a binding comes from (SPEC §2.3) and an `exp` an hour ahead. Not really signed: Codex reads
 * the claims and leaves the signature to the identity provider, but it refuses a token whose third
 * part is empty ("invalid ID token format").
 */
function idToken(user: BackendUser, nowMs: number): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const payload = {
    iss: 'https://auth.openai.com',
    email: `${user.userId}@example.com`,
    iat: issuedAt,
    exp: issuedAt + 3600,
    'https://api.openai.com/auth': {
      chatgpt_account_id: user.accountId,
      chatgpt_user_id: user.userId,
      chatgpt_plan_type: 'plus',
    },
  };
  return `${jwtPart({ alg: 'none', typ: 'JWT' })}.${jwtPart(payload)}.${jwtPart('unsigned')}`;
}

/**
 * Logs `user` in to the Codex home as `codex login` leaves it (SPEC §2.2): `auth.json` with
 * `tokens` and `last_refresh` = now, so Codex does not try to refresh the tokens. Mode 0600.
 */
export async function writeCodexLogin(home: string, user: BackendUser, nowMs: number): Promise<void> {
  const path = join(home, 'auth.json');
  const document = {
    OPENAI_API_KEY: null,
    tokens: {
      id_token: idToken(user, nowMs),
      access_token: user.accessToken,
      refresh_token: `refresh-token-of-${user.userId}`,
      account_id: user.accountId,
    },
    last_refresh: new Date(nowMs).toISOString(),
  };
  await writeFile(path, serializeAuthFile(document), { mode: 0o600 });
  await chmod(path, 0o600);
}
