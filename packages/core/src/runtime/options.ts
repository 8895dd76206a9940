import { defaultRandomBytes } from '@agent-identity/crypto';
import {
  DEFAULT_AUTHAPI_BASE_URL,
  DEFAULT_BACKEND_BASE_URL,
  redactUrlCredentials,
  type AgentBillOfMaterials,
  type TelemetryOptions,
} from '@agent-identity/protocol';
import type { AuthSource } from '../stores/auth-source.js';
import { runtimeBillOfMaterials, type BillOfMaterialsParts } from '../identity/bill-of-materials.js';
import { DEFAULT_PRODUCT_NAME, type AgentIdentityEventSink } from './events.js';
import type { IdentityStore } from '../stores/identity-store.js';
import type { IdentityJwtOptions } from '../identity/identity-jwt.js';
import { silentLogger, type Logger } from './logger.js';
import { protocolProfile, type ProtocolProfile, type ProtocolProfileName } from '../backend/protocol-profile.js';
import { resolveRetryPolicy, type RetryPolicy } from '../backend/retry-policy.js';
import type { RolloutStore } from '../stores/rollout-store.js';
import { globalTimers, type Timers } from './timers.js';
import { RuntimeTelemetry } from './runtime-telemetry.js';
import { optionsInvalid, positiveNumber } from './option-checks.js';

/** `fetch` as the runtime calls it (the global one by default). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Options of `createAgentIdentityRuntime` (README: *Runtime API*). */
export interface RuntimeOptions {
  /** The feature flag (`features.use_agent_identity`). Default `false`: every entry point returns "nothing". */
  readonly useAgentIdentity?: boolean;
  /** The backend base URL. Default `https://chatgpt.com/backend-api/`; a trailing `/` is stripped. */
  readonly baseUrl?: string;
  /**
   * Which profile of the protocol to speak (README: *Protocol profiles*): `'codex-0.122'` (SPEC.md,
   * the default) or `'codex-current'` (Codex 0.169–0.171: bearer registration at the AuthAPI, one
   * task per identity, `ChatGPT-Account-ID` beside the assertion, bearer fallback).
   */
  readonly profile?: ProtocolProfileName;
  /**
   * The AuthAPI base of the `'codex-current'` profile (identity and task registration). Default
   * `https://auth.openai.com/api/accounts`; a trailing `/` is stripped.
   */
  readonly authApiUrl?: string;
  /**
   * An identity JWT instead of a registered identity (CODEX-CURRENT "JWT identities"; needs
   * `profile: 'codex-current'`): verified against the JWKS, its claims are the identity, and its
   * task is registered once and kept in memory (never stored). Default: none.
   */
  readonly identityJwt?: IdentityJwtOptions;
  readonly authSource: AuthSource;
  readonly identityStore: IdentityStore;
  readonly rolloutStore: RolloutStore;
  /** SPEC §2.3: bind to this workspace instead of the login's account (when non-empty). */
  readonly forcedWorkspaceId?: string;
  /** The app's parts of the bill of materials (SPEC §2.4). */
  readonly abom?: BillOfMaterialsParts;
  /** Default: `globalThis.fetch`, looked up at call time. */
  readonly fetch?: FetchFunction;
  /**
   * The local clock, epoch milliseconds. Default `Date.now`. Signed timestamps and `registered_at`
   * read it corrected by the backend's offset (see `clockSkewCorrection`); rollout line times read
   * it as it is.
   */
  readonly now?: () => number;
  /**
   * Learn the offset between the local clock and the identity backend's from the `Date` header of
   * every identity-backend response (never a downstream's), and sign on the corrected clock when
   * they differ by more than 30 s (offsets beyond 15 min are ignored); a task registration refused for its timestamp whose answer moved the
   * offset is retried once. Default `true`; `false` signs with `now` as it is.
   */
  readonly clockSkewCorrection?: boolean;
  /** `n` cryptographically random bytes. Default `node:crypto`'s CSPRNG, drawn in batches. */
  readonly randomBytes?: (n: number) => Uint8Array;
  /** Default: the global `setTimeout` / `clearTimeout`. */
  readonly timers?: Timers;
  /** Default: silent. Never receives a token, biscuit or key. */
  readonly logger?: Logger;
  /** Receives the error events (SPEC §4.5 step 3, §4.6). */
  readonly onEvent?: AgentIdentityEventSink;
  /** Per backend call, headers and body. Default 15 000. */
  readonly timeoutMs?: number;
  /** Default `{ maxRetries: 2, baseDelayMs: 200, maxDelayMs: 5_000 }`. */
  readonly retry?: Partial<RetryPolicy>;
  /** The product named in the turn error text. Default `Codex`. */
  readonly productName?: string;
  /**
   * OpenTelemetry providers for the runtime's spans and metrics (README: *Telemetry*). Default:
   * none (nothing recorded, `@opentelemetry/api` never loaded).
   */
  readonly telemetry?: TelemetryOptions;
}

/** {@link RuntimeOptions} with every default filled in and checked. */
export interface ResolvedRuntimeOptions {
  readonly useAgentIdentity: boolean;
  /** Without the trailing `/`. */
  readonly baseUrl: string;
  readonly profile: ProtocolProfile;
  /** Without the trailing `/`. */
  readonly authApiUrl: string;
  readonly identityJwt: IdentityJwtOptions | undefined;
  readonly authSource: AuthSource;
  readonly identityStore: IdentityStore;
  readonly rolloutStore: RolloutStore;
  readonly forcedWorkspaceId: string | undefined;
  readonly abom: AgentBillOfMaterials;
  readonly fetch: FetchFunction;
  /** The local clock. */
  readonly now: () => number;
  readonly clockSkewCorrection: boolean;
  readonly randomBytes: (n: number) => Uint8Array;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly onEvent: AgentIdentityEventSink;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly productName: string;
  readonly telemetry: RuntimeTelemetry;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function resolveRuntimeOptions(options: RuntimeOptions): ResolvedRuntimeOptions {
  for (const port of ['authSource', 'identityStore', 'rolloutStore'] as const) {
    const given: unknown = options[port];
    if (typeof given !== 'object' || given === null) throw optionsInvalid(`options.${port} is required`);
  }
  const timeoutMs = positiveNumber('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  return {
    useAgentIdentity: options.useAgentIdentity ?? false,
    baseUrl: checkedBaseUrl('baseUrl', options.baseUrl ?? DEFAULT_BACKEND_BASE_URL),
    profile: protocolProfile(options.profile ?? 'codex-0.122'),
    authApiUrl: checkedBaseUrl('authApiUrl', options.authApiUrl ?? DEFAULT_AUTHAPI_BASE_URL),
    identityJwt: checkedIdentityJwt(options),
    authSource: options.authSource,
    identityStore: options.identityStore,
    rolloutStore: options.rolloutStore,
    forcedWorkspaceId: options.forcedWorkspaceId,
    abom: runtimeBillOfMaterials(options.abom),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: options.now ?? Date.now,
    clockSkewCorrection: options.clockSkewCorrection ?? true,
    randomBytes: options.randomBytes ?? defaultRandomBytes,
    timers: options.timers ?? globalTimers,
    logger: options.logger ?? silentLogger,
    onEvent: options.onEvent ?? ignoreEvent,
    timeoutMs,
    retry: resolveRetryPolicy(options.retry),
    productName: options.productName ?? DEFAULT_PRODUCT_NAME,
    telemetry: new RuntimeTelemetry(options.telemetry),
  };
}

/**
 * The base without trailing slashes (SPEC §1), which must be an absolute http(s) URL without
 * credentials: `fetch` refuses to send `user:password@` URLs, so every call would fail (and be
 * retried) with them in its error text. The URL is echoed with its userinfo redacted.
 */
function checkedBaseUrl(option: string, baseUrl: string): string {
  const shown = JSON.stringify(redactUrlCredentials(baseUrl));
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw optionsInvalid(`options.${option} must be an absolute URL, got ${shown}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw optionsInvalid(`options.${option} must be an http(s) URL, got ${shown}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw optionsInvalid(`options.${option} must not carry credentials (user:password@), got ${shown}`);
  }
  return baseUrl.replace(/\/+$/, '');
}

function checkedIdentityJwt(options: RuntimeOptions): IdentityJwtOptions | undefined {
  const { identityJwt } = options;
  if (identityJwt === undefined) return undefined;
  if (protocolProfile(options.profile ?? 'codex-0.122').taskScope !== 'identity') {
    throw optionsInvalid(
      "options.identityJwt needs profile: 'codex-current' (its task registration carries no credential)",
    );
  }
  return { ...identityJwt, jwksBaseUrl: checkedBaseUrl('identityJwt.jwksBaseUrl', identityJwt.jwksBaseUrl) };
}

function ignoreEvent(): void {
  // no sink: the host app did not ask for events
}
