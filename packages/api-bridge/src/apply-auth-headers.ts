import type { TurnAuthHeaders } from '@agent-identity/core';
import { CHATGPT_ACCOUNT_ID_HEADER } from '@agent-identity/protocol';
import { AUTHORIZATION_HEADER } from './auth-header-provider.js';

/**
 * Puts an auth context's headers into `headers`. When they carry an `Authorization`, the caller's
 * own `Authorization` and `ChatGPT-Account-ID` go first: an assertion must never travel with an
 * account id (SPEC §3.6), and a stale bearer must not survive. Empty auth headers (nobody logged
 * in) leave the caller's headers as they are.
 */
export function applyAuthHeaders(headers: Headers, authHeaders: TurnAuthHeaders): void {
  if (authHeaders[AUTHORIZATION_HEADER] === undefined) return;
  headers.delete(AUTHORIZATION_HEADER);
  headers.delete(CHATGPT_ACCOUNT_ID_HEADER);
  for (const [name, value] of Object.entries(authHeaders)) headers.set(name, value);
}
