import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import type { AgentAssertionSigner } from '@agent-identity/crypto';
import type { Login } from '../stores/login.js';
import type { AgentTask } from './agent-task.js';

/** How a turn authenticates downstream. */
export type TurnAuthScheme = 'assertion' | 'bearer' | 'none';

/** Downstream request headers, lowercase names. */
export type TurnAuthHeaders = Readonly<Record<string, string>>;

/**
 * The auth context of one user turn (SPEC §4.6, §4.7): an `AgentAssertion` for the turn's task,
 * else bearer auth from the login. Headers are built per call (an assertion carries the current
 * second). Never shows a secret: `toJSON`/`util.inspect` give the scheme, task and context key.
 */
export class TurnAuth {
  readonly scheme: TurnAuthScheme;
  /** The turn's task; `undefined` for bearer auth. */
  readonly task: AgentTask | undefined;
  /**
   * Equal for two `TurnAuth`s iff they carry the same auth context: the same task, or both
   * taskless for the same login (named by a hash, never by the token). Socket pools key by it.
   */
  readonly contextKey: string;
  readonly #headers: () => TurnAuthHeaders;

  private constructor(
    scheme: TurnAuthScheme,
    task: AgentTask | undefined,
    contextKey: string,
    headers: () => TurnAuthHeaders,
  ) {
    this.scheme = scheme;
    this.task = task;
    this.contextKey = contextKey;
    this.#headers = headers;
  }

  /**
   * `Authorization: AgentAssertion …`; `ChatGPT-Account-ID: <accountId>` beside it only when an
   * account is given (the `codex-current` profile), never in SPEC §3.6's profile.
   */
  static assertion(task: AgentTask, signer: AgentAssertionSigner, now: () => number, accountId?: string): TurnAuth {
    const contextKey = JSON.stringify(['assertion', task.agentRuntimeId, task.taskId]);
    const account: TurnAuthHeaders =
      accountId === undefined || accountId === '' ? {} : { 'chatgpt-account-id': accountId };
    return new TurnAuth('assertion', { ...task }, contextKey, () => ({
      authorization: signer.header(now()),
      ...account,
    }));
  }

  /** Bearer auth of `login` (nothing when nobody is logged in). */
  static bearer(login: Login | undefined): TurnAuth {
    if (login === undefined) return new TurnAuth('none', undefined, JSON.stringify(['none']), () => ({}));
    const headers = bearerHeaders(login);
    const contextKey = JSON.stringify(
      login.mode === 'chatgpt'
        ? ['bearer', login.mode, login.accountId ?? '', fingerprint(login.accessToken)]
        : ['bearer', login.mode, fingerprint(login.apiKey)],
    );
    return new TurnAuth('bearer', undefined, contextKey, () => ({ ...headers }));
  }

  /** Fresh headers for one downstream request or WebSocket handshake. */
  headers(): TurnAuthHeaders {
    return this.#headers();
  }

  authorizationHeader(): string | undefined {
    return this.#headers().authorization;
  }

  toJSON(): { scheme: TurnAuthScheme; task: AgentTask | undefined; contextKey: string } {
    return { scheme: this.scheme, task: this.task, contextKey: this.contextKey };
  }

  [inspect.custom](): string {
    return `TurnAuth ${inspect(this.toJSON())}`;
  }
}

/**
 * `Authorization: Bearer <access token>` plus `ChatGPT-Account-ID` when the login has an account;
 * an API key is a bearer token on its own.
 */
export function bearerHeaders(login: Login): TurnAuthHeaders {
  if (login.mode === 'api_key') return { authorization: `Bearer ${login.apiKey}` };
  return {
    authorization: `Bearer ${login.accessToken}`,
    ...(login.accountId === undefined || login.accountId === '' ? {} : { 'chatgpt-account-id': login.accountId }),
  };
}

/** A secret's stand-in for equality checks: not reversible, not loggable as the secret. */
function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 22);
}
