import type { Fault, FaultEndpoint, ReferenceBackend } from '@agent-identity/reference-backend';

/**
 * The backend faults of the reliability matrix and what the SPEC says each must produce at each
 * backend call. Texts are written out from SPEC §3.2–3.5 here, not taken from the code under test.
 */

/** Per backend call: timeout short enough to keep the suite fast, retries that can wait for a 1 s Retry-After. */
export const TIMEOUT_MS = 500;
export const MAX_ATTEMPTS = 3;
export const RUNTIME_UNDER_FAULT = {
  timeoutMs: TIMEOUT_MS,
  retry: { maxRetries: MAX_ATTEMPTS - 1, baseDelayMs: 1, maxDelayMs: 2_000 },
} as const;
/** A fault that outlives every attempt of every turn of a test. */
export const PERSISTENT = 1_000;
const ERROR_BODY = 'backend unavailable';

/** Where in the flow a call happens: registering the identity, or a task for an identity. */
export type Phase = 'identity' | 'task';

/** What a backend call says when it fails (SPEC §3.2–3.4). */
interface CallTexts {
  readonly sendFailed: (url: string) => string;
  readonly rejected: (status: number, url: string, body: string) => string;
  /** A 2xx answer the client cannot use: missing biscuit header, unparsable or incomplete JSON. */
  readonly unusable: (url: string) => string;
}

const biscuitTexts: CallTexts = {
  sendFailed: (url) => `failed to send agent identity biscuit request to ${url}`,
  rejected: (status, url, body) => `agent identity biscuit minting failed with status ${status} from ${url}: ${body}`,
  unusable: () => 'agent identity biscuit response did not include x-openai-authorization',
};

const agentTexts: CallTexts = {
  sendFailed: (url) => `failed to send agent identity registration request to ${url}`,
  rejected: (status, url, body) => `agent identity registration failed with status ${status} from ${url}: ${body}`,
  unusable: (url) => `failed to parse agent identity response from ${url}`,
};

const taskTexts: CallTexts = {
  sendFailed: (url) => `failed to send agent task registration request to ${url}`,
  rejected: (status, url, body) => `agent task registration failed with status ${status} from ${url}: ${body}`,
  unusable: (url) => `failed to parse agent task response from ${url}`,
};

/** One backend call of the flow. */
export interface CallSite {
  readonly name: string;
  readonly phase: Phase;
  readonly endpoint: FaultEndpoint;
  readonly texts: CallTexts;
  /** The exact URL the failing call went to (SPEC §1 paths under the backend's base URL). */
  readonly url: (backend: ReferenceBackend, agentRuntimeId: string | undefined) => string;
}

const biscuitUrl = (backend: ReferenceBackend) => `${backend.baseUrl}/authenticate_app_v2`;

export const CALL_SITES: readonly CallSite[] = [
  {
    name: 'biscuit for the identity registration',
    phase: 'identity',
    endpoint: 'biscuit',
    texts: biscuitTexts,
    url: biscuitUrl,
  },
  {
    name: 'identity registration',
    phase: 'identity',
    endpoint: 'agent_register',
    texts: agentTexts,
    url: (backend) => `${backend.baseUrl}/v1/agent/register`,
  },
  {
    name: 'biscuit for the task registration',
    phase: 'task',
    endpoint: 'biscuit',
    texts: biscuitTexts,
    url: biscuitUrl,
  },
  {
    name: 'task registration',
    phase: 'task',
    endpoint: 'task_register',
    texts: taskTexts,
    url: (backend, agentRuntimeId) => `${backend.baseUrl}/v1/agent/${agentRuntimeId ?? '?'}/task/register`,
  },
];

/** A fault at one call site and what it must yield. */
export interface FaultCase {
  readonly name: string;
  readonly fault: Fault;
  /** Transport errors, timeouts, 429 and 5xx are retried (a Retry-After past `maxDelayMs` is not). */
  readonly retryable: boolean;
  /** The SPEC §3 error text for the call's URL. */
  readonly text: (url: string) => string;
}

/** Every fault the reference backend can inject that applies to `site`, as a persistent failure. */
export function persistentFaults(site: CallSite): FaultCase[] {
  const { texts } = site;
  const cases: FaultCase[] = [
    {
      name: '500',
      fault: { kind: 'status', status: 500, body: ERROR_BODY },
      retryable: true,
      text: (url) => texts.rejected(500, url, ERROR_BODY),
    },
    {
      name: '429 with a Retry-After past maxDelayMs',
      fault: { kind: 'status', status: 429, body: ERROR_BODY, retryAfterSeconds: 3600 },
      retryable: false,
      text: (url) => texts.rejected(429, url, ERROR_BODY),
    },
    { name: 'timeout', fault: { kind: 'delay', delayMs: TIMEOUT_MS * 4 }, retryable: true, text: texts.sendFailed },
    { name: 'hang', fault: { kind: 'hang' }, retryable: true, text: texts.sendFailed },
    { name: 'connection reset', fault: { kind: 'reset' }, retryable: true, text: texts.sendFailed },
    { name: 'garbage JSON', fault: { kind: 'garbage' }, retryable: false, text: texts.unusable },
    site.endpoint === 'biscuit'
      ? { name: 'missing biscuit header', fault: { kind: 'missing_biscuit' }, retryable: false, text: texts.unusable }
      : {
          name: '2xx without its field',
          fault: { kind: 'status', status: 200, body: {} },
          retryable: false,
          text: texts.unusable,
        },
  ];
  if (site.endpoint === 'task_register') {
    cases.push({
      name: 'tampered sealed box',
      fault: { kind: 'tamper_sealed_box' },
      retryable: false,
      text: () => 'failed to decrypt encrypted task id',
    });
  }
  return cases;
}

/** Retryable faults that happen once: the bounded retry must ride them out inside one call. */
export function transientFaults(): { name: string; fault: Fault; retryAfterMs?: number }[] {
  return [
    { name: '500', fault: { kind: 'status', status: 500, body: ERROR_BODY } },
    {
      name: '429 with Retry-After: 1',
      fault: { kind: 'status', status: 429, body: ERROR_BODY, retryAfterSeconds: 1 },
      retryAfterMs: 1000,
    },
    { name: 'timeout', fault: { kind: 'delay', delayMs: TIMEOUT_MS * 4 } },
    { name: 'hang', fault: { kind: 'hang' } },
    { name: 'connection reset', fault: { kind: 'reset' } },
  ];
}

/** SPEC §4.5 step 3. */
export function identityEventText(error: string): string {
  return `Agent identity registration failed while \`features.use_agent_identity\` is enabled: ${error}`;
}

/** SPEC §4.6 (default product name). */
export function taskEventText(error: string): string {
  return `Agent task registration failed. Please try again; Codex will attempt to register the task again on the next turn: ${error}`;
}

/** How many times the backend has applied a fault at `endpoint`: the attempts that reached it. */
export function faultsApplied(backend: ReferenceBackend, endpoint: FaultEndpoint): number {
  return backend.admin.counters().faultsApplied[endpoint] ?? 0;
}
