import { RESPONSES_API_CAPABILITY } from '@agent-identity/protocol';
import { optionsInvalid } from '../runtime/option-checks.js';

/**
 * The two profiles of the agent-identity protocol (README: *Protocol profiles*): Codex 0.122's
 * (SPEC.md as written) and today's Codex 0.169–0.171 (CODEX-CURRENT). The cryptography is the same;
 * everything that differs is a row of this table, read where it applies — never a branch on the
 * profile's name.
 */
export type ProtocolProfileName = 'codex-0.122' | 'codex-current';

export const PROTOCOL_PROFILE_NAMES: readonly ProtocolProfileName[] = ['codex-0.122', 'codex-current'];

/** Which base URL a registration call goes to: the backend's (`baseUrl`) or the AuthAPI's (`authApiUrl`). */
export type RegistrationBase = 'backend' | 'authapi';

/**
 * How a registration call authenticates: a fresh biscuit in `X-OpenAI-Authorization` (SPEC §3.2),
 * `Authorization: Bearer <access token>`, or nothing (the signature in the body is the proof).
 */
export type RegistrationAuth = 'biscuit' | 'bearer' | 'none';

/**
 * Where a task lives: one per thread, cached in memory and in the thread's rollout as
 * `session_state` lines (SPEC §4.3); or one per identity, stored in the auth record as `task_id`
 * and reused by every thread, process and resume, with no `session_state` line written.
 */
export type TaskScope = 'thread' | 'identity';

/**
 * When registration keeps failing with errors a later attempt could fix (429, 5xx, timeouts,
 * connection errors) after the retry policy's attempts: fail (the error events of SPEC §4.5–4.6),
 * or fall back to bearer auth for the rest of the runtime's life.
 */
export type BootstrapFailure = 'fail' | 'bearer-for-session';

export interface ProtocolProfile {
  readonly name: ProtocolProfileName;
  readonly identityRegistration: { readonly base: RegistrationBase; readonly auth: RegistrationAuth };
  /** `capabilities` of the identity registration body. */
  readonly capabilities: readonly string[];
  /** Whether the identity registration body carries `"ttl": null`. */
  readonly sendsTtl: boolean;
  readonly taskRegistration: { readonly base: RegistrationBase; readonly auth: RegistrationAuth };
  /** Whether a task answer may carry the task id in plaintext (which then wins over a sealed one). */
  readonly acceptsPlaintextTaskId: boolean;
  readonly taskScope: TaskScope;
  /** Whether `ChatGPT-Account-ID` goes beside an `AgentAssertion` downstream (SPEC §3.6 says not). */
  readonly accountIdBesideAssertion: boolean;
  readonly bootstrapFailure: BootstrapFailure;
  readonly errorTexts: ProtocolErrorTexts;
}

/** The user-visible texts that differ between the profiles (SPEC §3.3–3.4, CODEX-CURRENT). */
export interface ProtocolErrorTexts {
  readonly identityRejected: (status: number, url: string, body: string) => string;
  readonly taskRejected: (status: number, url: string, body: string) => string;
  /** How much of a rejection body is quoted. */
  readonly maxErrorBodyChars: number;
}

/** The current profile's text for a call that gave up after its attempts. */
export function bootstrapUnavailableText(attempts: number, operation: string, message: string): string {
  return `agent identity bootstrap unavailable after ${attempts} attempts during ${operation}: ${message}`;
}

const PROFILES: Readonly<Record<ProtocolProfileName, ProtocolProfile>> = {
  'codex-0.122': {
    name: 'codex-0.122',
    identityRegistration: { base: 'backend', auth: 'biscuit' },
    capabilities: [],
    sendsTtl: false,
    taskRegistration: { base: 'backend', auth: 'biscuit' },
    acceptsPlaintextTaskId: false,
    taskScope: 'thread',
    accountIdBesideAssertion: false,
    bootstrapFailure: 'fail',
    errorTexts: {
      identityRejected: (status, url, body) =>
        `agent identity registration failed with status ${status} from ${url}: ${body}`,
      taskRejected: (status, url, body) => `agent task registration failed with status ${status} from ${url}: ${body}`,
      maxErrorBodyChars: 1024,
    },
  },
  'codex-current': {
    name: 'codex-current',
    identityRegistration: { base: 'authapi', auth: 'bearer' },
    capabilities: [RESPONSES_API_CAPABILITY],
    sendsTtl: true,
    taskRegistration: { base: 'authapi', auth: 'none' },
    acceptsPlaintextTaskId: true,
    taskScope: 'identity',
    accountIdBesideAssertion: true,
    bootstrapFailure: 'bearer-for-session',
    errorTexts: {
      identityRejected: (_status, url) => `agent identity registration failed for ${url}`,
      taskRejected: (status, _url, body) => `agent task registration failed with status ${status}: ${body}`,
      maxErrorBodyChars: 512,
    },
  },
};

/** The profile named `name`; `OPTIONS_INVALID` for a name that is not one. */
export function protocolProfile(name: ProtocolProfileName): ProtocolProfile {
  if (!Object.hasOwn(PROFILES, name)) {
    throw optionsInvalid(
      `options.profile must be one of ${PROTOCOL_PROFILE_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  return PROFILES[name];
}
