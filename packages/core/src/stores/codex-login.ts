import { join } from 'node:path';
import { decodeIdTokenClaims, IdTokenError, type AuthTokens } from '@agent-identity/protocol';
import { FileIdentityStore } from './file-identity-store.js';
import { optionsInvalid, requiredText } from '../runtime/option-checks.js';

/** Who logs in: ChatGPT tokens (what agent identity needs), or an API key (no agent identity). */
export type CodexLogin =
  | { readonly tokens: AuthTokens; readonly apiKey?: undefined }
  | { readonly apiKey: string; readonly tokens?: undefined };

export type WriteCodexLoginOptions = CodexLogin & {
  /** The Codex home (`$CODEX_HOME`, `~/.codex`); the file is its `auth.json`. */
  readonly codexHome: string;
  /** `last_refresh` is this time (epoch milliseconds). Default `Date.now()`. */
  readonly now?: () => number;
};

const AUTH_CLAIM = 'https://api.openai.com/auth';

/**
 * Logs a user in the way `codex login` does: writes `tokens` (or `OPENAI_API_KEY`) into
 * `{codexHome}/auth.json` through {@link FileIdentityStore.saveLogin} — atomic, `0600` in a
 * `0700` folder, under the auth file lock, keeping the agent identity record (every Codex
 * version's fields) and every other key. Resolves to the file's path.
 *
 * `tokens.id_token` must be a JWT whose payload carries the `https://api.openai.com/auth` claim
 * with `chatgpt_account_id` (unless `tokens.account_id` is given) and, for a per-user identity,
 * `chatgpt_user_id`: the binding is derived from it (SPEC §2.3). A token without it is refused
 * here with `OPTIONS_INVALID` — Codex would treat such a login as having no account, and the
 * runtime would register nothing. The message never contains a token.
 */
export async function writeCodexLogin(options: WriteCodexLoginOptions): Promise<string> {
  const path = join(requiredText('codexHome', options.codexHome), 'auth.json');
  const lastRefresh = new Date((options.now ?? Date.now)()).toISOString();
  const store = new FileIdentityStore({ path });
  if (options.tokens !== undefined) {
    checkTokens(options.tokens);
    await store.saveLogin({ authMode: 'chatgpt', tokens: options.tokens, apiKey: null, lastRefresh });
  } else {
    requiredText('apiKey', options.apiKey);
    await store.saveLogin({ authMode: 'apikey', tokens: null, apiKey: options.apiKey, lastRefresh });
  }
  return path;
}

function checkTokens(tokens: AuthTokens): void {
  requiredText('tokens.access_token', tokens.access_token);
  let accountId: string | undefined;
  try {
    accountId = decodeIdTokenClaims(requiredText('tokens.id_token', tokens.id_token)).chatgptAccountId;
  } catch (error) {
    if (!IdTokenError.isInstance(error)) throw error;
    throw optionsInvalid(`options.tokens.id_token must be a JWT with a JSON object payload (${error.reason})`);
  }
  if (accountId === undefined && (tokens.account_id ?? '') === '') {
    throw optionsInvalid(
      `options.tokens.id_token carries no "${AUTH_CLAIM}" claim with a chatgpt_account_id, and tokens.account_id is not given`,
    );
  }
}
