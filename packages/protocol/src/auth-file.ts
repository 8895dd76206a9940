import { z } from 'zod';
import { AuthFileError } from './errors.js';
import { describeSchemaIssue, formatIssuePath } from './schema-issue.js';

/**
 * The auth file (Codex's `$CODEX_HOME/auth.json`, SPEC §2.2). Most of it belongs to other
 * software, so every object here is loose, and parsing returns the parsed JSON value itself:
 * unknown keys — at the top and inside our record — survive a rewrite, in their order.
 */

/** Our one slot, under the top-level `agent_identity` key. */
export const AgentIdentityRecord = z.looseObject({
  workspace_id: z.string(),
  chatgpt_user_id: z.string().nullable().optional(),
  agent_runtime_id: z.string(),
  /** Standard base64 of the PKCS#8 DER private key. A secret. */
  agent_private_key: z.string(),
  /** Written as RFC 3339 UTC to the second; read as any string (nothing interprets it). */
  registered_at: z.string(),
});
export type AgentIdentityRecord = z.infer<typeof AgentIdentityRecord>;

/** Codex's ChatGPT login. All tokens are secrets. */
export const AuthTokens = z.looseObject({
  /** A JWT; read its claims with `decodeIdTokenClaims`. */
  id_token: z.string(),
  access_token: z.string(),
  refresh_token: z.string().nullable().optional(),
  account_id: z.string().nullable().optional(),
});
export type AuthTokens = z.infer<typeof AuthTokens>;

const authFileFields = {
  /** Set (and `tokens` absent) means API-key auth: no binding, agent identity off. */
  OPENAI_API_KEY: z.string().nullable().optional(),
  tokens: AuthTokens.nullable().optional(),
  last_refresh: z.string().nullable().optional(),
};

export const AuthFile = z.looseObject({
  ...authFileFields,
  agent_identity: AgentIdentityRecord.nullable().optional(),
});
export type AuthFile = z.infer<typeof AuthFile>;

/**
 * The auth file with `agent_identity` not yet checked: what an identity store reads so that a
 * broken record can be deleted (SPEC §4.1 self-healing) while the rest of the file is kept.
 */
export const AuthFileDocument = z.looseObject({
  ...authFileFields,
  agent_identity: z.unknown().optional(),
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

/** Checks the value of the `agent_identity` key; throws {@link AuthFileError} with its field path. */
export function parseAgentIdentityRecord(value: unknown): AgentIdentityRecord {
  const issue = AgentIdentityRecord.safeParse(value).error?.issues[0];
  if (issue !== undefined) throw invalidField(['agent_identity', ...issue.path], issue);
  return value as AgentIdentityRecord;
}

/** The whole auth file, checked, or throws {@link AuthFileError}. Never echoes a value. */
export function parseAuthFile(text: string): AuthFile {
  const document = parseAuthFileDocument(text);
  if (document.agent_identity != null) parseAgentIdentityRecord(document.agent_identity);
  return document as AuthFile;
}

/**
 * Pretty JSON with a 2-space indent, the layout of Rust's `serde_json::to_string_pretty`, with no
 * trailing newline (Codex writes none either).
 */
export function serializeAuthFile(document: AuthFileObject): string {
  return JSON.stringify(document, null, 2);
}
