/**
 * What an `Authorization` value is, by its scheme (RFC 7235: case-insensitive, then one or more
 * spaces). `missing` covers an absent or blank header.
 */
export type AuthorizationCredentials =
  | { readonly scheme: 'missing' }
  | { readonly scheme: 'bearer'; readonly token: string }
  | { readonly scheme: 'agent_assertion'; readonly header: string }
  | { readonly scheme: 'other' };

const BEARER = /^Bearer +(\S+)$/i;
const AGENT_ASSERTION = /^AgentAssertion(?: |$)/i;

export function parseAuthorization(value: string | undefined): AuthorizationCredentials {
  const header = value?.trim() ?? '';
  if (header === '') return { scheme: 'missing' };
  const token = BEARER.exec(header)?.[1];
  if (token !== undefined) return { scheme: 'bearer', token };
  if (AGENT_ASSERTION.test(header)) return { scheme: 'agent_assertion', header };
  return { scheme: 'other' };
}
