/**
 * The scheme of an `Authorization` value (RFC 7235: case-insensitive, then one or more spaces).
 * `missing` covers an absent or blank header.
 */
export type AuthorizationCredentials =
  | { scheme: 'missing' }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'agent_assertion'; header: string }
  | { scheme: 'other' };

const bearer = /^Bearer +(\S+)$/i;
const agentAssertion = /^AgentAssertion(?: |$)/i;

export function parseAuthorization(value: string | undefined): AuthorizationCredentials {
  const header = value?.trim() ?? '';
  if (header === '') return { scheme: 'missing' };
  const token = bearer.exec(header)?.[1];
  if (token !== undefined) return { scheme: 'bearer', token };
  if (agentAssertion.test(header)) return { scheme: 'agent_assertion', header };
  return { scheme: 'other' };
}
