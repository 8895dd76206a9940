import type { BackendCounters, Fault, FaultEndpoint } from '@agent-identity/reference-backend';

/** The reference backend's `/_admin` HTTP API, for a backend running in another process. */
export class BackendAdminClient {
  constructor(readonly baseUrl: string) {}

  async counters(): Promise<BackendCounters> {
    return (await this.#call('GET', 'counters')) as BackendCounters;
  }

  /** The next `times` calls of `endpoint` misbehave (e.g. a `delay` on every call). */
  async injectFault(endpoint: FaultEndpoint, fault: Fault, times: number): Promise<void> {
    await this.#call('POST', 'faults', { endpoint, fault, times });
  }

  /** Forgets agents, tasks, counters and faults. */
  async reset(): Promise<void> {
    await this.#call('POST', 'reset');
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    // At the root whatever the base path: the reference backend's routes are exact (SPEC §3.8).
    const response = await fetch(new URL(`/_admin/${path}`, this.baseUrl), {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const answer: unknown = await response.json();
    if (!response.ok)
      throw new Error(`admin ${method} ${path} failed with ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }
}
