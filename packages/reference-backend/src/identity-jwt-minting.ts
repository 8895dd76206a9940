import { AgentSigningKey } from '@agent-identity/crypto';
import { BackendError } from './backend-error.js';
import type { BackendContext } from './backend-context.js';
import { registerAgent } from './agent-registration.js';

/** What an identity JWT is minted for; every field has a default. */
export interface IdentityJwtRequest {
  /** The `userId` of a configured user. Default: the first user. */
  userId?: string;
  /** The `email` claim. Default `''` (what Codex stores when it does not know it). */
  email?: string;
  /** The `plan_type` claim. Default `'plus'`. */
  planType?: string;
  /** The `chatgpt_account_is_fedramp` claim. Default `false`. */
  fedramp?: boolean;
  /** Lifetime (`exp - iat`). Default 3 600, at most 30 days. */
  ttlSeconds?: number;
}

/** A minted identity JWT and the agent it registered. The JWT carries the agent's private key. */
export interface MintedIdentityJwt {
  jwt: string;
  agentRuntimeId: string;
}

const maxTtlSeconds = 30 * 86_400;

function invalid(message: string): BackendError {
  return new BackendError('OPTIONS_INVALID', message);
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}

/**
 * Makes an identity a current Codex can load from `CODEX_ACCESS_TOKEN` or `auth.json`
 * (CODEX-CURRENT.md "JWT identities"): a new Ed25519 key, the agent registered for the user, and
 * an RS256 JWT over the whole record, verifiable with the backend's JWKS. Counted as minted, not
 * as a registration through either profile's routes. `OPTIONS_INVALID` for an unknown user or a
 * bad field (the request may come from the admin API, so every field is checked).
 */
export async function mintIdentityJwt(
  context: BackendContext,
  request: IdentityJwtRequest,
): Promise<MintedIdentityJwt> {
  const userId = optionalString('userId', request.userId);
  const user = userId === undefined ? context.users.first : context.users.byUserId(userId);
  if (user === undefined) throw invalid(`no configured user has the id ${userId ?? ''}`);
  const email = optionalString('email', request.email) ?? '';
  const planType = optionalString('planType', request.planType) ?? 'plus';
  const fedramp = request.fedramp ?? false;
  if (typeof fedramp !== 'boolean') throw invalid('fedramp must be a boolean');
  const ttlSeconds = request.ttlSeconds ?? 3_600;
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxTtlSeconds) {
    throw invalid(`ttlSeconds must be an integer from 1 to ${maxTtlSeconds}`);
  }

  const key = AgentSigningKey.generate({ randomBytes: context.options.randomBytes });
  const agentRuntimeId = await registerAgent(context, user, {
    abom: {
      agent_version: '0.0.0',
      agent_harness_id: 'reference-backend-identity-jwt',
      running_location: 'reference-backend',
    },
    agent_public_key: key.sshPublicKey,
    capabilities: ['responsesapi'],
  });
  const jwt = await context.identityJwts.sign(
    {
      agent_runtime_id: agentRuntimeId,
      agent_private_key: key.toPkcs8Base64(),
      account_id: user.accountId,
      chatgpt_user_id: user.userId,
      email,
      plan_type: planType,
      chatgpt_account_is_fedramp: fedramp,
    },
    context.options.now(),
    ttlSeconds,
  );
  context.counters.identityJwtMinted();
  return { jwt, agentRuntimeId };
}
