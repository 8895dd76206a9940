import { defaultRandomBytes } from '@agent-identity/crypto';
import type { TelemetryOptions } from '@agent-identity/protocol';
import type { RegistryStore } from '@agent-identity/registry';
import { BackendError } from './backend-error.js';

/** A ChatGPT user the backend knows: its access token buys biscuits and works as `Bearer`. */
export interface BackendUser {
  accessToken: string;
  accountId: string;
  userId: string;
}

/** The user a backend started without `users` accepts. Its token is public: it is a demo. */
export const DEMO_USER: Readonly<BackendUser> = Object.freeze({
  accessToken: 'demo-access-token',
  accountId: 'account-demo',
  userId: 'user-demo',
});

/**
 * How the AuthAPI's task registration answers (CODEX-CURRENT.md): `'plaintext'` `{"task_id"}`, or
 * `'sealed'` `{"encrypted_task_id"}` sealed to the agent's key as in SPEC §3.5.
 */
export type TaskIdAnswerForm = 'plaintext' | 'sealed';

export interface ReferenceBackendOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** Accepted users. Default `[DEMO_USER]`. */
  users?: readonly BackendUser[];
  /**
   * Keep agents, tasks and biscuits in PGlite (embedded PostgreSQL) in this folder, made if
   * missing: they survive restarts. Default: memory only.
   */
  dataDir?: string;
  /**
   * Keep them on this PostgreSQL server (`postgres://user:password@host:port/database`): every
   * instance on the same database shares them, and hears the others' revocations within a second.
   */
  databaseUrl?: string;
  /** A registry the caller opened (and closes after the backend): instead of `dataDir` / `databaseUrl`. */
  registry?: RegistryStore;
  /** Prefix of `baseUrl`, e.g. `/backend-api`: SPEC's identity and model endpoints live under it only. Default `''`. */
  pathPrefix?: string;
  /**
   * Prefix of `authApiUrl`, where the current profile registers identities and tasks
   * (CODEX-CURRENT.md; `https://auth.openai.com/api/accounts` in production). Must differ from
   * `pathPrefix`. Default `/api/accounts`.
   */
  authApiPathPrefix?: string;
  /** How the AuthAPI's task registration answers (see {@link TaskIdAnswerForm}). Default `'plaintext'`. */
  taskIdAnswer?: TaskIdAnswerForm;
  /**
   * The bearer token `/_admin` requires. Default: none on loopback; a random one (read it from
   * `backend.adminToken`) when `host` is not a loopback address.
   */
  adminToken?: string;
  /** Clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Randomness for biscuits, ids and sealed boxes. Default `node:crypto`'s CSPRNG, drawn in batches. */
  randomBytes?: (n: number) => Uint8Array;
  /** How long a biscuit stays usable. Default 60 000. */
  biscuitTtlMs?: number;
  /** The verifier's timestamp window in each direction. Default 300. */
  windowSeconds?: number;
  /** A WebSocket that sends nothing for this long is closed (code 4002). Default 120 000. */
  webSocketIdleTimeoutMs?: number;
  /** Open WebSockets at most; a handshake beyond is refused 503 `too_many_connections`. Default 256. */
  maxWebSocketConnections?: number;
  /**
   * OpenTelemetry providers: a span per HTTP request and the verifier's spans and results
   * (README: *Telemetry*). Default: none.
   */
  telemetry?: TelemetryOptions;
}

export interface ResolvedBackendOptions {
  telemetry: TelemetryOptions | undefined;
  host: string;
  port: number;
  users: readonly BackendUser[];
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  registry: RegistryStore | undefined;
  pathPrefix: string;
  authApiPathPrefix: string;
  taskIdAnswer: TaskIdAnswerForm;
  adminToken: string | undefined;
  now: () => number;
  randomBytes: (n: number) => Uint8Array;
  biscuitTtlMs: number;
  windowSeconds: number;
  webSocketIdleTimeoutMs: number;
  maxWebSocketConnections: number;
}

function invalid(message: string): BackendError {
  return new BackendError('OPTIONS_INVALID', message);
}

function checkUsers(users: readonly BackendUser[]): readonly BackendUser[] {
  if (users.length === 0) throw invalid('users must not be empty');
  const tokens = new Set<string>();
  users.forEach((user, index) => {
    for (const field of ['accessToken', 'accountId', 'userId'] as const) {
      if (typeof user[field] !== 'string' || user[field] === '') {
        throw invalid(`users[${index}].${field} must be a non-empty string`);
      }
    }
    if (tokens.has(user.accessToken)) throw invalid(`users[${index}] repeats the access token of another user`);
    tokens.add(user.accessToken);
  });
  return users.map((user) => ({ accessToken: user.accessToken, accountId: user.accountId, userId: user.userId }));
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function checkPathPrefix(name: string, prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed !== '' && (!trimmed.startsWith('/') || /[?#\s]/.test(trimmed))) {
    throw invalid(`${name} must be empty or a path starting with "/"`);
  }
  return trimmed;
}

/** A {@link TaskIdAnswerForm} from a caller that may not be typed (the admin API); else `OPTIONS_INVALID`. */
export function checkTaskIdAnswer(form: unknown): TaskIdAnswerForm {
  if (form !== 'plaintext' && form !== 'sealed') throw invalid('taskIdAnswer must be "plaintext" or "sealed"');
  return form;
}

function checkAdminToken(token: string | undefined): string | undefined {
  if (token !== undefined && (typeof token !== 'string' || token.length < 16 || /\s/.test(token))) {
    throw invalid('adminToken must be at least 16 characters without whitespace');
  }
  return token;
}

/** The two profiles' registration routes end alike: they need distinct prefixes. */
function checkDistinctPrefixes(pathPrefix: string, authApiPathPrefix: string): void {
  if (pathPrefix === authApiPathPrefix) throw invalid('authApiPathPrefix must differ from pathPrefix');
}

/** At most one place for the registry. */
function checkRegistryLocation(
  options: ReferenceBackendOptions,
): Pick<ResolvedBackendOptions, 'dataDir' | 'databaseUrl' | 'registry'> {
  const { dataDir, databaseUrl, registry } = options;
  if ([dataDir, databaseUrl, registry].filter((place) => place !== undefined).length > 1) {
    throw invalid('give at most one of dataDir, databaseUrl and registry');
  }
  return { dataDir, databaseUrl, registry };
}

export function resolveBackendOptions(options: ReferenceBackendOptions): ResolvedBackendOptions {
  const pathPrefix = checkPathPrefix('pathPrefix', options.pathPrefix ?? '');
  const authApiPathPrefix = checkPathPrefix('authApiPathPrefix', options.authApiPathPrefix ?? '/api/accounts');
  checkDistinctPrefixes(pathPrefix, authApiPathPrefix);
  return {
    telemetry: options.telemetry,
    host: options.host ?? '127.0.0.1',
    port: checkInteger('port', options.port ?? 0, 0, 65_535),
    users: checkUsers(options.users ?? [DEMO_USER]),
    ...checkRegistryLocation(options),
    pathPrefix,
    authApiPathPrefix,
    taskIdAnswer: checkTaskIdAnswer(options.taskIdAnswer ?? 'plaintext'),
    adminToken: checkAdminToken(options.adminToken),
    now: options.now ?? Date.now,
    randomBytes: options.randomBytes ?? defaultRandomBytes,
    biscuitTtlMs: checkInteger('biscuitTtlMs', options.biscuitTtlMs ?? 60_000, 1, 86_400_000),
    windowSeconds: checkInteger('windowSeconds', options.windowSeconds ?? 300, 0, 86_400),
    webSocketIdleTimeoutMs: checkInteger(
      'webSocketIdleTimeoutMs',
      options.webSocketIdleTimeoutMs ?? 120_000,
      1,
      86_400_000,
    ),
    maxWebSocketConnections: checkInteger(
      'maxWebSocketConnections',
      options.maxWebSocketConnections ?? 256,
      1,
      100_000,
    ),
  };
}
