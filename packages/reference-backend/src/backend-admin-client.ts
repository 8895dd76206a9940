import type { AuthTokens } from '@agent-identity/protocol';
import type { AgentRecord, TaskRecord } from '@agent-identity/registry';
import type { CodexLoginRequest } from './codex-login-minting.js';
import type { AssertionVerification } from '@agent-identity/verifier';
import { BackendError } from './backend-error.js';
import type { BackendCounters } from './counters.js';
import type { Fault, FaultEndpoint } from './faults.js';
import type { DownstreamRequestRecord } from './request-log.js';

export interface BackendAdminClientOptions {
  /** Any URL on the backend: the admin API sits at `{origin}/_admin` whatever the path (SPEC §3.8: routes are exact). */
  readonly url: string;
  /** The bearer token the backend's `/_admin` requires, when it has one. Never put in an error. */
  readonly adminToken?: string | undefined;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * The reference backend's `/_admin` HTTP API, for a backend in another process (or behind a URL):
 * the same controls as `backend.admin`, with the backend's own record types. A real backend has
 * no admin API; `isSupported()` tells, and every other call then fails `ADMIN_UNSUPPORTED`.
 */
export class BackendAdminClient {
  readonly #origin: string;
  readonly #adminToken: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: BackendAdminClientOptions) {
    this.#origin = new URL(options.url).origin;
    this.#adminToken = options.adminToken;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Whether the backend has the admin API: `GET /_admin/counters` answers counters. */
  async isSupported(): Promise<boolean> {
    const response = await this.#send('GET', 'counters');
    if (!response.ok) return false;
    const body: unknown = await response.json().catch(() => undefined);
    return (
      typeof body === 'object' &&
      body !== null &&
      typeof (body as Record<string, unknown>)['taskRegistrations'] === 'number'
    );
  }

  async counters(): Promise<BackendCounters> {
    return (await this.#call('GET', 'counters')) as BackendCounters;
  }

  async agents(): Promise<readonly AgentRecord[]> {
    return ((await this.#call('GET', 'agents')) as { agents: AgentRecord[] }).agents;
  }

  async tasks(): Promise<readonly TaskRecord[]> {
    return ((await this.#call('GET', 'tasks')) as { tasks: TaskRecord[] }).tasks;
  }

  /** The accepted downstream requests and handshakes, oldest first. */
  async requests(): Promise<readonly DownstreamRequestRecord[]> {
    return ((await this.#call('GET', 'requests')) as { requests: DownstreamRequestRecord[] }).requests;
  }

  /** Later assertions for the task are refused with `task_invalid`. */
  async revokeTask(taskId: string): Promise<void> {
    await this.#call('POST', `tasks/${encodeURIComponent(taskId)}/revoke`);
  }

  /** Later assertions of the agent are refused with `unknown_agent`. */
  async revokeAgent(agentRuntimeId: string): Promise<void> {
    await this.#call('POST', `agents/${encodeURIComponent(agentRuntimeId)}/revoke`);
  }

  /** The backend verifier's answer for an `AgentAssertion` header. */
  async verify(header: string): Promise<AssertionVerification> {
    return (await this.#call('POST', 'verify', { header })) as AssertionVerification;
  }

  /** The next `times` calls of `endpoint` misbehave (e.g. a `delay` on every call). */
  async injectFault(endpoint: FaultEndpoint, fault: Fault, times: number): Promise<void> {
    await this.#call('POST', 'faults', { endpoint, fault, times });
  }

  /** Forgets agents, tasks, counters and faults. */
  async reset(): Promise<void> {
    await this.#call('POST', 'reset');
  }

  /**
   * A ChatGPT login of a configured user (default: the first), as `auth.json`'s `tokens`; log in
   * with `writeCodexLogin({ codexHome, tokens: await admin.mintCodexLogin({ userId }) })` (core).
   */
  async mintCodexLogin(request: CodexLoginRequest = {}): Promise<AuthTokens> {
    return ((await this.#call('POST', 'codex-logins', request)) as { tokens: AuthTokens }).tokens;
  }

  async #call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await this.#send(method, path, body);
    const where = `${method} /_admin/${path.split('/')[0] ?? ''}`;
    if (response.status === 404 || response.status === 405) {
      throw new BackendError(
        'ADMIN_UNSUPPORTED',
        `the backend at ${this.#origin} has no admin API (${where} answered ${response.status}): only the reference backend offers it`,
      );
    }
    if (!response.ok) {
      throw new BackendError('ADMIN_CALL_FAILED', `${where} at ${this.#origin} answered ${response.status}`, {
        isRetryable: response.status >= 500,
      });
    }
    return response.json();
  }

  async #send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.#adminToken !== undefined) headers['authorization'] = `Bearer ${this.#adminToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.#fetch(`${this.#origin}/_admin/${path}`, {
        method,
        redirect: 'manual',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new BackendError('ADMIN_UNREACHABLE', `cannot reach the backend at ${this.#origin}`, {
        cause: error,
        isRetryable: true,
      });
    }
  }
}
