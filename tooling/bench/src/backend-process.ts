import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_USER, type BackendCounters, type Fault, type FaultEndpoint } from '@agent-identity/reference-backend';
import { ChildServer } from './child-server.js';

/** The reference backend's CLI, next to its entry point (source or built, whichever resolves). */
function cliPath(): string {
  const entry = fileURLToPath(import.meta.resolve('@agent-identity/reference-backend'));
  return join(dirname(entry), `cli${extname(entry)}`);
}

/** The reference backend in a child process, driven through its `/_admin` HTTP API. */
export class BackendProcess {
  /** The user the backend accepts (its CLI's default): the bench logs in as it. */
  static readonly user = DEMO_USER;

  private constructor(private readonly server: ChildServer) {}

  static async start(): Promise<BackendProcess> {
    return new BackendProcess(await ChildServer.start(cliPath()));
  }

  get baseUrl(): string {
    return this.server.url;
  }

  async counters(): Promise<BackendCounters> {
    return (await this.#admin('GET', 'counters')) as BackendCounters;
  }

  /** The next `times` calls of `endpoint` misbehave (e.g. a `delay` on every call). */
  async injectFault(endpoint: FaultEndpoint, fault: Fault, times: number): Promise<void> {
    await this.#admin('POST', 'faults', { endpoint, fault, times });
  }

  /** Forgets agents, tasks, counters and faults. */
  async reset(): Promise<void> {
    await this.#admin('POST', 'reset');
  }

  close(): Promise<void> {
    return this.server.close();
  }

  async #admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}/_admin/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const answer: unknown = await response.json();
    if (!response.ok) throw new Error(`admin ${method} ${path} failed with ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }
}
