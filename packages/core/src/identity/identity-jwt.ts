import {
  AGENT_IDENTITY_JWT_AUDIENCE,
  AGENT_IDENTITY_JWT_ISSUER,
  AgentIdentityJwtClaims,
  agentIdentityJwksUrl,
} from '@agent-identity/protocol';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { CoreError } from '../runtime/errors.js';
import { StoredIdentity } from './stored-identity.js';

/** Where the runtime finds an identity JWT (CODEX-CURRENT "JWT identities"), and how it checks one. */
export interface IdentityJwtOptions {
  /**
   * The JWT, read at each use; `undefined` when there is none (the runtime then registers an
   * identity the ordinary way). {@link identityJwtSource} reads `CODEX_ACCESS_TOKEN`, then the auth
   * file's JWT form.
   */
  readonly load: () => Promise<string | undefined>;
  /**
   * `{jwks_base}`: the JWKS is `GET {jwks_base}/wham/agent-identities/jwks` when it contains
   * `/backend-api`, else `{jwks_base}/agent-identities/jwks`. Codex uses its `chatgpt_base_url`.
   */
  readonly jwksBaseUrl: string;
  /** The JWKS request's timeout. Default 10 000 (Codex's). */
  readonly timeoutMs?: number;
}

/** The JWKS request's timeout of CODEX-CURRENT. */
export const DEFAULT_JWKS_TIMEOUT_MS = 10_000;

/** What a JWT failure means, by jose's error code: a JWT we must refuse, or a JWKS we could not read. */
const INVALID_JWT_CODES = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

/**
 * Verifies identity JWTs with `jose` (RS256 only, the key picked by `kid` from the JWKS, `iss`,
 * `aud`, `exp`) and maps their claims to a {@link StoredIdentity}. One verifier keeps one remote
 * key set (jose caches it and refetches on an unknown `kid`), and remembers the identity of the
 * last JWT so that its key is parsed once.
 */
export class IdentityJwtVerifier {
  readonly #jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly #now: () => number;
  #last: { readonly jwt: string; readonly identity: StoredIdentity; readonly expiresAtMs: number } | undefined;

  constructor(options: Pick<IdentityJwtOptions, 'jwksBaseUrl' | 'timeoutMs'> & { readonly now: () => number }) {
    this.#jwks = createRemoteJWKSet(new URL(agentIdentityJwksUrl(options.jwksBaseUrl)), {
      timeoutDuration: options.timeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
    });
    this.#now = options.now;
  }

  /**
   * The identity `jwt` carries, once its signature and claims check out. Throws `CoreError`
   * `IDENTITY_JWKS_UNAVAILABLE` (`failed to request agent identity JWKS`),
   * `IDENTITY_JWT_KID_UNTRUSTED` (`agent identity JWT kid {kid} is not trusted`) or
   * `IDENTITY_JWT_INVALID` (a bad signature, issuer, audience, expiry or claim). Never echoes the JWT.
   */
  async identity(jwt: string): Promise<StoredIdentity> {
    const last = this.#last;
    if (last?.jwt === jwt && this.#now() < last.expiresAtMs) return last.identity;
    const payload = await this.#verify(jwt);
    const claims = AgentIdentityJwtClaims.safeParse(payload);
    if (!claims.success) {
      const field = claims.error.issues[0]?.path.join('.') ?? '';
      throw new CoreError('IDENTITY_JWT_INVALID', `agent identity JWT claim ${field} is missing or invalid`);
    }
    const {
      agent_runtime_id,
      agent_private_key,
      account_id,
      chatgpt_user_id,
      email,
      plan_type,
      chatgpt_account_is_fedramp,
    } = claims.data;
    let identity: StoredIdentity;
    try {
      identity = StoredIdentity.fromRecord({
        agent_runtime_id,
        agent_private_key,
        account_id,
        chatgpt_user_id,
        email: email ?? '',
        plan_type,
        chatgpt_account_is_fedramp,
      });
    } catch (error) {
      throw new CoreError('IDENTITY_JWT_INVALID', 'agent identity JWT claim agent_private_key is not a valid key', {
        cause: error,
      });
    }
    this.#last = { jwt, identity, expiresAtMs: (payload.exp ?? 0) * 1000 };
    return identity;
  }

  async #verify(jwt: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(jwt, this.#jwks, {
        algorithms: ['RS256'],
        issuer: AGENT_IDENTITY_JWT_ISSUER,
        audience: AGENT_IDENTITY_JWT_AUDIENCE,
        requiredClaims: ['exp', 'iat'],
        currentDate: new Date(this.#now()),
      });
      return payload;
    } catch (error) {
      throw jwtFailure(jwt, error);
    }
  }
}

function jwtFailure(jwt: string, error: unknown): CoreError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_JWKS_NO_MATCHING_KEY') {
    return new CoreError('IDENTITY_JWT_KID_UNTRUSTED', `agent identity JWT kid ${kidOf(jwt)} is not trusted`, {
      cause: error,
    });
  }
  if (typeof code === 'string' && INVALID_JWT_CODES.has(code)) {
    // jose's messages name the claim or check, never the token
    const reason = error instanceof Error ? error.message : code;
    return new CoreError('IDENTITY_JWT_INVALID', `agent identity JWT is invalid: ${reason}`, { cause: error });
  }
  return new CoreError('IDENTITY_JWKS_UNAVAILABLE', 'failed to request agent identity JWKS', {
    cause: error,
    isRetryable: true,
  });
}

function kidOf(jwt: string): string {
  try {
    return decodeProtectedHeader(jwt).kid ?? '(none)';
  } catch {
    return '(none)';
  }
}

/**
 * CODEX-CURRENT's two places for an identity JWT, in Codex's order: the `CODEX_ACCESS_TOKEN`
 * environment variable (nothing is written to disk), else the auth file's JWT form
 * (`{"auth_mode": "agentIdentity", "agent_identity": "<JWT>"}`, e.g. `FileIdentityStore`).
 */
export function identityJwtSource(sources: {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly authFile?: { loadIdentityJwt(): Promise<string | undefined> };
}): () => Promise<string | undefined> {
  return async () => {
    const fromEnv = sources.env?.CODEX_ACCESS_TOKEN;
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    return sources.authFile?.loadIdentityJwt();
  };
}
