import { encodeBase64UrlNoPad, type AuthTokens } from '@agent-identity/protocol';
import { BackendError } from './backend-error.js';
import type { BackendContext } from './backend-context.js';
import type { BackendUser } from './options.js';

/** Whom a Codex login is minted for; every field has a default. */
export interface CodexLoginRequest {
  /** The `userId` of a configured user. Default: the first user. */
  userId?: string;
  /** The ID token's `email` claim. Default `<userId>@example.com`. */
  email?: string;
  /** The ID token's `chatgpt_plan_type` claim. Default `'plus'`. */
  planType?: string;
}

const ID_TOKEN_LIFETIME_SECONDS = 3_600;

function invalid(message: string): BackendError {
  return new BackendError('OPTIONS_INVALID', message);
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}

function jwtPart(value: unknown): string {
  return encodeBase64UrlNoPad(new TextEncoder().encode(JSON.stringify(value)));
}

/** What a login's ID token says besides the user: the claims Codex shows and stores. */
export interface CodexLoginClaims {
  /** When the ID token was issued, epoch milliseconds; it expires an hour later. */
  issuedAtMs: number;
  /** The `email` claim. Default `<userId>@example.com`. */
  email?: string;
  /** The `chatgpt_plan_type` claim. Default `'plus'`. */
  planType?: string;
  /** The `refresh_token` (no one redeems it). Default `refresh-<userId>`. */
  refreshToken?: string;
}

/**
 * `user`'s ChatGPT login as `auth.json`'s `tokens` (SPEC §2.2): the access token the backend takes
 * as `Bearer`, the account id, and an ID token as ChatGPT's identity provider issues one — a JWT
 * whose payload carries the `https://api.openai.com/auth` claims a binding is derived from (SPEC
 * §2.3). Its signature is a placeholder (`alg: none`): the runtime and Codex read the claims and
 * never check it, but Codex refuses a token whose signature part is empty ("invalid ID token
 * format"). Write it with core's `writeCodexLogin`.
 */
export function codexLoginTokens(user: BackendUser, claims: CodexLoginClaims): AuthTokens {
  const issuedAt = Math.floor(claims.issuedAtMs / 1000);
  const payload = {
    iss: 'https://auth.example.com',
    sub: user.userId,
    email: claims.email ?? `${user.userId}@example.com`,
    iat: issuedAt,
    exp: issuedAt + ID_TOKEN_LIFETIME_SECONDS,
    'https://api.openai.com/auth': {
      chatgpt_account_id: user.accountId,
      chatgpt_user_id: user.userId,
      chatgpt_plan_type: claims.planType ?? 'plus',
    },
  };
  return {
    id_token: `${jwtPart({ alg: 'none', typ: 'JWT' })}.${jwtPart(payload)}.${jwtPart('unsigned')}`,
    access_token: user.accessToken,
    refresh_token: claims.refreshToken ?? `refresh-${user.userId}`,
    account_id: user.accountId,
  };
}

/**
 * A ChatGPT login of a configured user, in the form of `auth.json`'s `tokens` (SPEC §2.2): its
 * access token (the backend's `Bearer`), an ID token with the user's claims, a refresh token no
 * one redeems ({@link codexLoginTokens}). Write it with core's `writeCodexLogin`. `OPTIONS_INVALID` for an unknown user or a
 * field that is not a string (the request may come from the admin API). Every token is a secret.
 */
export function mintCodexLogin(context: BackendContext, request: CodexLoginRequest): AuthTokens {
  const userId = optionalString('userId', request.userId);
  const user = userId === undefined ? context.users.first : context.users.byUserId(userId);
  if (user === undefined) throw invalid(`no configured user has the id ${userId ?? ''}`);
  const email = optionalString('email', request.email);
  const planType = optionalString('planType', request.planType);
  return codexLoginTokens(user, {
    issuedAtMs: context.options.now(),
    ...(email === undefined ? {} : { email }),
    ...(planType === undefined ? {} : { planType }),
    refreshToken: `refresh-${encodeBase64UrlNoPad(context.options.randomBytes(24))}`,
  });
}
