import { z } from 'zod';
import { CliError } from './cli-error.js';
import { failureMessage } from './failure-report.js';

/*
 * The reference backend's admin API over HTTP (`/_admin/…`, at the root of the base URL's
 * origin whatever its path): the same controls whether the backend runs in this process (the
 * demo's embedded one) or elsewhere. A real backend has none; `isSupported()` tells.
 */

const Count = z.number().int().nonnegative();
const DownstreamCounters = z.looseObject({ accepted: Count, rejected: z.record(z.string(), Count) });

export const AdminCounters = z.looseObject({
  biscuitsMinted: Count,
  agentRegistrations: Count,
  taskRegistrations: Count,
  downstream: z.looseObject({ http: DownstreamCounters, ws: DownstreamCounters }),
});
export type AdminCounters = z.infer<typeof AdminCounters>;

export const AdminRequestRecord = z.looseObject({
  transport: z.enum(['http', 'ws']),
  auth: z.string(),
  agentRuntimeId: z.string().nullish(),
  taskId: z.string().nullish(),
  accountIdHeader: z.boolean(),
});
export type AdminRequestRecord = z.infer<typeof AdminRequestRecord>;

/** The verifier's answer for a header (`POST /_admin/verify`). */
export const HeaderVerdict = z.union([
  z.looseObject({
    ok: z.literal(true),
    identity: z.looseObject({ agentRuntimeId: z.string(), taskId: z.string(), timestamp: z.string() }),
  }),
  z.looseObject({ ok: z.literal(false), reason: z.string(), message: z.string() }),
]);
export type HeaderVerdict = z.infer<typeof HeaderVerdict>;

export class BackendAdminClient {
  readonly #base: string;

  constructor(baseUrl: string) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  /** Whether the backend has the admin API: `GET /_admin/counters` answers counters. */
  async isSupported(): Promise<boolean> {
    const response = await this.#send('GET', 'counters');
    if (!response.ok) return false;
    return AdminCounters.safeParse(await response.json().catch(() => undefined)).success;
  }

  async counters(): Promise<AdminCounters> {
    return AdminCounters.parse(await this.#call('GET', 'counters'));
  }

  /** The accepted downstream requests and handshakes, oldest first. */
  async requests(): Promise<AdminRequestRecord[]> {
    return z.object({ requests: z.array(AdminRequestRecord) }).parse(await this.#call('GET', 'requests')).requests;
  }

  /** Later assertions for the task get 401 `task_invalid`. */
  async revokeTask(taskId: string): Promise<void> {
    await this.#call('POST', `tasks/${encodeURIComponent(taskId)}/revoke`);
  }

  async verify(header: string): Promise<HeaderVerdict> {
    return HeaderVerdict.parse(await this.#call('POST', 'verify', { header }));
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.#send(method, path, body);
    if (response.status === 404 || response.status === 405) {
      throw new CliError(
        'ADMIN_UNSUPPORTED',
        `the backend at ${this.#base} has no admin API (${method} /_admin/${path.split('/')[0] ?? ''} answered ${response.status}): only the reference backend offers it`,
      );
    }
    if (!response.ok) {
      throw new CliError(
        'ADMIN_UNSUPPORTED',
        `${method} ${this.#url(path)} answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
      );
    }
    return response.json();
  }

  async #send(method: string, path: string, body?: unknown): Promise<Response> {
    const url = this.#url(path);
    try {
      return await fetch(url, {
        method,
        redirect: 'manual',
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new CliError('BACKEND_UNREACHABLE', `cannot reach the backend at ${this.#base}: ${failureMessage(error)}`, {
        cause: error,
      });
    }
  }

  // The admin API sits at the root of the reference backend whatever the base path (SPEC §3.8: routes are exact).
  #url(path: string): string {
    return new URL(`/_admin/${path}`, this.#base).toString();
  }
}
