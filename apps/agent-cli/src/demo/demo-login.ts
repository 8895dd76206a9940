import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { encodeBase64UrlNoPad, serializeAuthFile } from '@agent-identity/protocol';
import type { BackendUser } from '@agent-identity/reference-backend';
import { authFilePath } from '../codex-home.js';

/**
 * An ID token for the demo user: a JWT whose payload carries the `https://api.openai.com/auth`
 * claims a binding is derived from (SPEC §2.3). Not really signed (`alg: none`): the runtime and
 * Codex read the claims and never check the signature, which is the identity provider's business,
 * but Codex refuses a token whose signature part is empty ("invalid ID token format").
 */
export function demoIdToken(user: BackendUser, issuedAtMs: number): string {
  const part = (value: unknown): string => encodeBase64UrlNoPad(new TextEncoder().encode(JSON.stringify(value)));
  const issuedAt = Math.floor(issuedAtMs / 1000);
  const header = { alg: 'none', typ: 'JWT' };
  const payload = {
    iss: 'https://auth.example.com',
    email: 'demo@example.com',
    iat: issuedAt,
    exp: issuedAt + 3600,
    'https://api.openai.com/auth': {
      chatgpt_account_id: user.accountId,
      chatgpt_user_id: user.userId,
      chatgpt_plan_type: 'plus',
    },
  };
  return `${part(header)}.${part(payload)}.${encodeBase64UrlNoPad(new TextEncoder().encode('unsigned'))}`;
}

/**
 * Logs the demo user in the way Codex does: `auth.json` in the Codex home with `tokens`
 * (SPEC §2.2), mode 0600 in a 0700 folder, written by Codex's serializer.
 */
export async function writeDemoLogin(home: string, user: BackendUser, nowMs: number): Promise<string> {
  const path = authFilePath(home);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const document = {
    OPENAI_API_KEY: null,
    tokens: {
      id_token: demoIdToken(user, nowMs),
      access_token: user.accessToken,
      refresh_token: 'demo-refresh-token',
      account_id: user.accountId,
    },
    last_refresh: new Date(nowMs).toISOString(),
  };
  await writeFile(path, serializeAuthFile(document), { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return path;
}
