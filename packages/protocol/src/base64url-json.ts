import { readBase64UrlNoPad } from './base64.js';

/** Why a base64url JSON token could not be read. */
export type Base64UrlJsonFailure = 'bad_base64' | 'not_json';

export type Base64UrlJsonResult = { ok: true; value: unknown } | { ok: false; reason: Base64UrlJsonFailure };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The JSON value inside a canonical base64url-nopad token of UTF-8 text (an `AgentAssertion`
 * token, a JWT payload). Invalid UTF-8 counts as `not_json`, never silently replaced.
 */
export function decodeBase64UrlJson(token: string): Base64UrlJsonResult {
  let text: string | undefined;
  try {
    text = readBase64UrlNoPad(token, (bytes) => strictUtf8.decode(bytes));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  if (text === undefined) return { ok: false, reason: 'bad_base64' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not_json' };
  }
}
