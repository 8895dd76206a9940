import {
  AGENT_IDENTITY_JWT_AUDIENCE,
  AGENT_IDENTITY_JWT_ISSUER,
  type AgentIdentityJwtClaims,
} from '@agent-identity/protocol';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A JSON Web Key Set as the JWKS route answers it. */
export interface JsonWebKeySet {
  keys: JWK[];
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwks: JsonWebKeySet;
}

/**
 * The backend's identity-JWT signer (CODEX-CURRENT.md "JWT identities"): one RS256 key with a
 * `kid`, made on first use (RSA key generation is slow, and most backends never need it), signed
 * with `jose`. The JWKS carries the public half only.
 */
export class IdentityJwtIssuer {
  readonly #randomBytes: (n: number) => Uint8Array;
  #key: Promise<SigningKey> | undefined;

  constructor(randomBytes: (n: number) => Uint8Array) {
    this.#randomBytes = randomBytes;
  }

  async jwks(): Promise<JsonWebKeySet> {
    return structuredClone((await this.#signingKey()).jwks);
  }

  /** An identity JWT: `claims` plus `iss`, `aud`, `iat` = `nowMs` and `exp` = `iat + ttlSeconds`. */
  async sign(claims: AgentIdentityJwtClaims, nowMs: number, ttlSeconds: number): Promise<string> {
    const { kid, privateKey } = await this.#signingKey();
    const issuedAt = Math.floor(nowMs / 1000);
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(AGENT_IDENTITY_JWT_ISSUER)
      .setAudience(AGENT_IDENTITY_JWT_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .sign(privateKey);
  }

  #signingKey(): Promise<SigningKey> {
    this.#key ??= (async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const kid = `reference-${Buffer.from(this.#randomBytes(8)).toString('hex')}`;
      const jwk = await exportJWK(publicKey);
      return { kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
    })();
    return this.#key;
  }
}
