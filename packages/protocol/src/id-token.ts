import { decodeBase64UrlJson } from './base64url-json.js';
import { IdTokenError } from './errors.js';

/** What a binding (SPEC §2.3) and the union record (CODEX-CURRENT) need from the login's ID token. */
export interface IdTokenClaims {
  chatgptAccountId?: string;
  chatgptUserId?: string;
  /** The `chatgpt_plan_type` claim: the union record's `plan_type` (CODEX-CURRENT). */
  chatgptPlanType?: string;
  /** The top-level `email` claim: the union record's `email`. */
  email?: string;
}

const AUTH_CLAIM = 'https://api.openai.com/auth';
const TRAILING_PADDING = /={1,2}$/;

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The `https://api.openai.com/auth` claims of a JWT: its payload (the middle part, base64url,
 * padded or not) decoded; the signature is not ours to check. A claim that is absent, not a string
 * or empty is left out. Throws {@link IdTokenError} for a token that is not a JWT with a JSON
 * object payload; the message never contains the token.
 */
export function decodeIdTokenClaims(jwt: string): IdTokenClaims {
  const parts = jwt.split('.');
  const payloadPart = parts[1];
  if (parts.length !== 3 || payloadPart === undefined || payloadPart === '') {
    throw new IdTokenError('not_jwt', 'is not three dot-separated parts with a payload');
  }
  const decoded = decodeBase64UrlJson(payloadPart.replace(TRAILING_PADDING, ''));
  if (!decoded.ok) {
    throw decoded.reason === 'not_json'
      ? new IdTokenError('not_json', 'payload is not UTF-8 JSON')
      : new IdTokenError('bad_base64', 'payload is not base64url');
  }
  const payload = decoded.value;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new IdTokenError('not_object', 'payload is not a JSON object');
  }
  const claims: IdTokenClaims = {};
  const email = nonEmptyString((payload as Record<string, unknown>).email);
  if (email !== undefined) claims.email = email;
  const auth = (payload as Record<string, unknown>)[AUTH_CLAIM];
  if (typeof auth !== 'object' || auth === null) return claims;
  const {
    chatgpt_account_id: accountId,
    chatgpt_user_id: userId,
    chatgpt_plan_type: planType,
  } = auth as Record<string, unknown>;
  const chatgptAccountId = nonEmptyString(accountId);
  const chatgptUserId = nonEmptyString(userId);
  const chatgptPlanType = nonEmptyString(planType);
  if (chatgptAccountId !== undefined) claims.chatgptAccountId = chatgptAccountId;
  if (chatgptUserId !== undefined) claims.chatgptUserId = chatgptUserId;
  if (chatgptPlanType !== undefined) claims.chatgptPlanType = chatgptPlanType;
  return claims;
}
