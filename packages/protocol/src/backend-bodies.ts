import * as z from 'zod/mini';
import { encodeBase64UrlNoPad } from './base64.js';
import { AgentBillOfMaterials } from './bill-of-materials.js';
import { AgentIdentityError } from './errors.js';
import { SecondsTimestamp } from './timestamps.js';

/**
 * The backend's three calls (SPEC §3.2–3.4): header names, URLs, request and response bodies.
 * Responses are loose (`agent_runtime_id` / `encrypted_task_id` required, other keys ignored).
 */

export const DEFAULT_BACKEND_BASE_URL = 'https://chatgpt.com/backend-api/';
/**
 * The production "AuthAPI" base of the current profile (CODEX-CURRENT): identity registration
 * (bearer) and task registration (no auth header) live under it.
 */
export const DEFAULT_AUTHAPI_BASE_URL = 'https://auth.openai.com/api/accounts';
/** What a current Codex declares at identity registration (CODEX-CURRENT). */
export const RESPONSES_API_CAPABILITY = 'responsesapi';
/** Sent (`true`) with a FedRAMP account's bearer registration in the current profile. */
export const OPENAI_FEDRAMP_HEADER = 'X-OpenAI-Fedramp';

/** Response header carrying the biscuit (lowercase: how `Headers.get` and Node report it). */
export const BISCUIT_RESPONSE_HEADER = 'x-openai-authorization';
/** Request header carrying the biscuit on registration calls. */
export const OPENAI_AUTHORIZATION_HEADER = 'X-OpenAI-Authorization';
export const REQUEST_ID_HEADER = 'X-Request-Id';
export const ORIGINAL_METHOD_HEADER = 'X-Original-Method';
export const ORIGINAL_URL_HEADER = 'X-Original-Url';
/**
 * Sent with bearer auth; alongside an `AgentAssertion` only in the current profile (SPEC §3.6 and
 * CODEX-CURRENT "Downstream").
 */
export const CHATGPT_ACCOUNT_ID_HEADER = 'ChatGPT-Account-ID';

export const BISCUIT_REQUEST_ID_PREFIX = 'codex-agent-identity-';
const BISCUIT_REQUEST_ID_RANDOM_BYTES = 16;

/** `codex-agent-identity-` + base64url-nopad of 16 random bytes (22 characters). */
export function biscuitRequestId(randomBytes: Uint8Array): string {
  if (randomBytes.length !== BISCUIT_REQUEST_ID_RANDOM_BYTES) {
    throw new AgentIdentityError(
      'REQUEST_ID_INVALID',
      `a biscuit request id takes ${BISCUIT_REQUEST_ID_RANDOM_BYTES} random bytes, got ${randomBytes.length}`,
    );
  }
  return BISCUIT_REQUEST_ID_PREFIX + encodeBase64UrlNoPad(randomBytes);
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** `GET {base}/authenticate_app_v2`: mints a biscuit. */
export function biscuitUrl(base: string): string {
  return joinUrl(base, '/authenticate_app_v2');
}

/** `POST {base}/v1/agent/register`. */
export function agentRegisterUrl(base: string): string {
  return joinUrl(base, '/v1/agent/register');
}

/** `POST {base}/v1/agent/{runtimeId}/task/register`; the id is percent-encoded as one segment. */
export function taskRegisterUrl(base: string, runtimeId: string): string {
  return joinUrl(base, `/v1/agent/${encodeURIComponent(runtimeId)}/task/register`);
}

/** `POST {base}/v1/responses`: the downstream model endpoint (SPEC §3.8). */
export function responsesUrl(base: string): string {
  return joinUrl(base, '/v1/responses');
}

/** The UTF-8 text a task registration signs: `"{agent_runtime_id}:{timestamp}"`. */
export function taskRegistrationMessage(runtimeId: string, timestamp: string): string {
  return `${runtimeId}:${timestamp}`;
}

export const RegisterAgentRequest = z.object({
  abom: AgentBillOfMaterials,
  /** OpenSSH single-line form `ssh-ed25519 <base64>`, no comment. */
  agent_public_key: z.string(),
  capabilities: z.array(z.string()),
  /**
   * Lifetime asked for, in seconds; the current profile (CODEX-CURRENT.md) sends `null` (no
   * limit), Codex 0.122 leaves it out.
   */
  ttl: z.optional(z.nullable(z.int().check(z.positive()))),
});
export type RegisterAgentRequest = z.infer<typeof RegisterAgentRequest>;

export const RegisterAgentResponse = z.looseObject({
  agent_runtime_id: z.string().check(z.minLength(1)),
});
export type RegisterAgentResponse = z.infer<typeof RegisterAgentResponse>;

export const RegisterTaskRequest = z.object({
  /** Standard base64 Ed25519 signature over {@link taskRegistrationMessage}. */
  signature: z.string(),
  timestamp: SecondsTimestamp,
});
export type RegisterTaskRequest = z.infer<typeof RegisterTaskRequest>;

export const RegisterTaskResponse = z.looseObject({
  /** Standard base64 libsodium sealed box of the task id (SPEC §3.5). */
  encrypted_task_id: z.string(),
});
export type RegisterTaskResponse = z.infer<typeof RegisterTaskResponse>;

/**
 * The task-registration answer of the current profile (CODEX-CURRENT): a plaintext `task_id` (or
 * `taskId`), or the sealed `encrypted_task_id` (or `encryptedTaskId`); all optional here, since
 * which one is present decides how it is read ({@link taskIdOfAnswer}).
 */
export const RegisterTaskAnswer = z.looseObject({
  task_id: z.optional(z.string().check(z.minLength(1))),
  taskId: z.optional(z.string().check(z.minLength(1))),
  encrypted_task_id: z.optional(z.string().check(z.minLength(1))),
  encryptedTaskId: z.optional(z.string().check(z.minLength(1))),
});
export type RegisterTaskAnswer = z.infer<typeof RegisterTaskAnswer>;

/** How an answer carries its task id: in plaintext (which wins when both are present), sealed, or not at all. */
export type AnsweredTaskId =
  | { readonly kind: 'plaintext'; readonly taskId: string }
  | { readonly kind: 'sealed'; readonly encryptedTaskId: string }
  | { readonly kind: 'missing' };

export function taskIdOfAnswer(answer: RegisterTaskAnswer): AnsweredTaskId {
  const plaintext = answer.task_id ?? answer.taskId;
  if (plaintext !== undefined) return { kind: 'plaintext', taskId: plaintext };
  const sealed = answer.encrypted_task_id ?? answer.encryptedTaskId;
  if (sealed !== undefined) return { kind: 'sealed', encryptedTaskId: sealed };
  return { kind: 'missing' };
}
