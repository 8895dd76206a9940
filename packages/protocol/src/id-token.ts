import { decodeBase64UrlJson } from './base64url-json.js';
import { IdTokenError } from './errors.js';

/** What a binding needs from the login's ID token (SPEC §2.3). */
export interface IdTokenClaims {
  chatgptAccountId?: string;
  chatgptUserId?: string;
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
  const auth = (payload as Record<string, unknown>)[AUTH_CLAIM];
  if (typeof auth !== 'object' || auth === null) return {};
  const { chatgpt_account_id: accountId, chatgpt_user_id: userId } = auth as Record<string, unknown>;
  const claims: IdTokenClaims = {};
  const chatgptAccountId = nonEmptyString(accountId);
  const chatgptUserId = nonEmptyString(userId);
  if (chatgptAccountId !== undefined) claims.chatgptAccountId = chatgptAccountId;
  if (chatgptUserId !== undefined) claims.chatgptUserId = chatgptUserId;
  return claims;
}
