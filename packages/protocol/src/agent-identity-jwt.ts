import * as z from 'zod/mini';

/**
 * Identity JWTs of the current profile (CODEX-CURRENT.md "JWT identities"): RS256 with a `kid`,
 * checked against the backend's JWKS, carrying the whole identity record as claims.
 */

/** `iss` of an identity JWT. */
export const AGENT_IDENTITY_JWT_ISSUER = 'https://chatgpt.com/codex-backend/agent-identity';
/** `aud` of an identity JWT. */
export const AGENT_IDENTITY_JWT_AUDIENCE = 'codex-app-server';

/**
 * The JWKS an identity JWT is checked against: `{base}/wham/agent-identities/jwks` when the base
 * contains `/backend-api`, else `{base}/agent-identities/jwks` (a trailing slash is dropped).
 */
export function agentIdentityJwksUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.includes('/backend-api')
    ? `${trimmed}/wham/agent-identities/jwks`
    : `${trimmed}/agent-identities/jwks`;
}

/** The identity claims of an identity JWT (beside `iss`, `aud`, `iat`, `exp`). Other claims are ignored. */
export const AgentIdentityJwtClaims = z.looseObject({
  agent_runtime_id: z.string().check(z.minLength(1)),
  /** Standard base64 of the PKCS#8 DER (SPEC §3.1). */
  agent_private_key: z.string().check(z.minLength(1)),
  account_id: z.string().check(z.minLength(1)),
  chatgpt_user_id: z.string().check(z.minLength(1)),
  email: z.optional(z.string()),
  plan_type: z.string(),
  chatgpt_account_is_fedramp: z.boolean(),
});
export type AgentIdentityJwtClaims = z.infer<typeof AgentIdentityJwtClaims>;
