import * as z from 'zod/mini';
import { parseAgentIdentityRecord, type StoredAgentIdentityRecord } from './agent-identity-record.js';
import { AuthFileError } from './errors.js';
import { describeSchemaIssue, formatIssuePath } from './schema-issue.js';

/**
 * The auth file (Codex's `$CODEX_HOME/auth.json`, SPEC §2.2). Most of it belongs to other
 * software, so every object here is loose, and parsing returns the parsed JSON value itself:
 * unknown keys — at the top and inside our record — survive a rewrite, in their order.
 */

/** Codex's ChatGPT login. All tokens are secrets. */
export const AuthTokens = z.looseObject({
  /** A JWT; read its claims with `decodeIdTokenClaims`. */
  id_token: z.string(),
  access_token: z.string(),
  refresh_token: z.optional(z.nullable(z.string())),
  account_id: z.optional(z.nullable(z.string())),
});
export type AuthTokens = z.infer<typeof AuthTokens>;

/**
 * `auth_mode` of an auth file whose `agent_identity` is an identity JWT (Codex 0.132+,
 * CODEX-CURRENT "JWT identities"): `{"auth_mode": "agentIdentity", "agent_identity": "<JWT>"}`.
 */
export const AGENT_IDENTITY_AUTH_MODE = 'agentIdentity';

const authFileFields = {
  /** Codex's login mode; {@link AGENT_IDENTITY_AUTH_MODE} makes `agent_identity` a JWT string. */
  auth_mode: z.optional(z.nullable(z.string())),
  /** Set (and `tokens` absent) means API-key auth: no binding, agent identity off. */
  OPENAI_API_KEY: z.optional(z.nullable(z.string())),
  tokens: z.optional(z.nullable(AuthTokens)),
  last_refresh: z.optional(z.nullable(z.string())),
};

/** The checked auth file: `agent_identity` is a record of any readable shape, or a JWT string. */
export type AuthFile = AuthFileDocument & {
  readonly agent_identity?: StoredAgentIdentityRecord | string | null | undefined;
};

/**
 * The auth file with `agent_identity` not yet checked: what an identity store reads so that a
 * broken record can be deleted (SPEC §4.1 self-healing) while the rest of the file is kept.
 */
export const AuthFileDocument = z.looseObject({
  ...authFileFields,
  agent_identity: z.optional(z.unknown()),
});
export type AuthFileDocument = z.infer<typeof AuthFileDocument>;

function invalidField(path: readonly PropertyKey[], issue: z.core.$ZodIssue): AuthFileError {
  return new AuthFileError('invalid_field', describeSchemaIssue('field', path, issue), formatIssuePath(path));
}

/**
 * The auth file as a JSON object with nothing inside it checked: what an identity store reads. It
 * owns only `agent_identity`, so another program's keys never make it refuse the file.
 */
export type AuthFileObject = Readonly<Record<string, unknown>>;

/** The auth file as a JSON object (`not_json`, `not_object` otherwise); its keys are not checked. */
export function parseAuthFileObject(text: string): AuthFileObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AuthFileError('not_json', 'is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuthFileError('not_object', 'is not a JSON object');
  }
  return value as AuthFileObject;
}

/** The parsed document (everything but `agent_identity` checked), or throws {@link AuthFileError}. */
export function parseAuthFileDocument(text: string): AuthFileDocument {
  const value = parseAuthFileObject(text);
  const issue = AuthFileDocument.safeParse(value).error?.issues[0];
  if (issue !== undefined) throw invalidField(issue.path, issue);
  // Validated; returned as parsed so that unknown keys and their order survive.
  return value;
}

/**
 * The identity JWT of an auth file in the JWT form (`auth_mode` = {@link AGENT_IDENTITY_AUTH_MODE},
 * `agent_identity` a string), else `undefined`. Not verified here: that takes the JWKS.
 */
export function agentIdentityJwtOf(document: AuthFileObject): string | undefined {
  const slot = document.agent_identity;
  return document.auth_mode === AGENT_IDENTITY_AUTH_MODE && typeof slot === 'string' ? slot : undefined;
}

/**
 * The whole auth file, checked, or throws {@link AuthFileError}. Never echoes a value.
 * `agent_identity` is a record of any readable shape, or (JWT form) a string.
 */
export function parseAuthFile(text: string): AuthFile {
  const document = parseAuthFileDocument(text);
  if (document.agent_identity != null && agentIdentityJwtOf(document) === undefined) {
    if (typeof document.agent_identity === 'string') {
      throw new AuthFileError(
        'invalid_field',
        `field agent_identity must be an object (a string only with auth_mode "${AGENT_IDENTITY_AUTH_MODE}")`,
        'agent_identity',
      );
    }
    parseAgentIdentityRecord(document.agent_identity);
  }
  return document as AuthFile;
}

/**
 * Pretty JSON with a 2-space indent, the layout of Rust's `serde_json::to_string_pretty`, with no
 * trailing newline (Codex writes none either).
 */
export function serializeAuthFile(document: AuthFileObject): string {
  return JSON.stringify(document, null, 2);
}
