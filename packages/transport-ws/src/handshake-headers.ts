import type { TurnAuth } from '@agent-identity/core';

// Only the auth context decides these two (SPEC §3.6: an assertion goes without the account id,
// except in the codex-current profile, where core's TurnAuth puts it beside the assertion).
const AUTH_CONTEXT_HEADERS = new Set(['authorization', 'chatgpt-account-id']);

/**
 * The headers of one handshake: the caller's extra headers minus the auth ones, then the auth
 * context's headers, built now (an assertion carries the current second).
 */
export function handshakeHeaders(
  auth: Pick<TurnAuth, 'headers'>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra)) {
    if (!AUTH_CONTEXT_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  return { ...headers, ...auth.headers() };
}
