import { z } from 'zod';
import { GatewayError } from './gateway-error.js';

/*
 * The reference backend's admin API (`/_admin/…` at the root of its origin), the part the gateway
 * needs: the registered agents and tasks (its registry) and their revocation (the dashboard's
 * buttons). The records are the backend's camelCase objects; fields the gateway does not use are
 * kept as they come.
 */

export const RegisteredAgent = z.looseObject({
  agentRuntimeId: z.string(),
  publicKey: z.string(),
  revokedAt: z.string().nullish(),
});
export type RegisteredAgent = z.infer<typeof RegisteredAgent>;

export const RegisteredTask = z.looseObject({
  taskId: z.string(),
  agentRuntimeId: z.string(),
  revokedAt: z.string().nullish(),
});
export type RegisteredTask = z.infer<typeof RegisteredTask>;

const AgentList = z.object({ agents: z.array(RegisteredAgent) });
const TaskList = z.object({ tasks: z.array(RegisteredTask) });

/** What the gateway reads and changes in the registry it fronts; the backend's admin API is one. */
export interface RegistryAdmin {
  agents(): Promise<readonly RegisteredAgent[]>;
  tasks(): Promise<readonly RegisteredTask[]>;
  /** Later assertions for the task are refused with `task_invalid`. */
  revokeTask(taskId: string): Promise<void>;
  /** Later assertions of the agent are refused with `unknown_agent`. */
  revokeAgent(agentRuntimeId: string): Promise<void>;
}

export interface BackendAdminApiOptions {
  /** The backend's origin (or any URL on it): the admin API lives at `{origin}/_admin`. */
  readonly url: string;
  /** The bearer token the backend's `/_admin` requires, when it has one. Never logged. */
  readonly adminToken?: string | undefined;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** {@link RegistryAdmin} over the reference backend's `/_admin` HTTP API. */
export class BackendAdminApi implements RegistryAdmin {
  readonly #origin: string;
  readonly #adminToken: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: BackendAdminApiOptions) {
    this.#origin = new URL(options.url).origin;
    this.#adminToken = options.adminToken;
    this.#fetch = options.fetch ?? fetch;
  }

  async agents(): Promise<readonly RegisteredAgent[]> {
    return AgentList.parse(await this.#call('GET', 'agents')).agents;
  }

  async tasks(): Promise<readonly RegisteredTask[]> {
    return TaskList.parse(await this.#call('GET', 'tasks')).tasks;
  }

  async revokeTask(taskId: string): Promise<void> {
    await this.#call('POST', `tasks/${encodeURIComponent(taskId)}/revoke`);
  }

  async revokeAgent(agentRuntimeId: string): Promise<void> {
    await this.#call('POST', `agents/${encodeURIComponent(agentRuntimeId)}/revoke`);
  }

  async #call(method: 'GET' | 'POST', path: string): Promise<unknown> {
    const where = `${method} ${this.#origin}/_admin/${path}`;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#origin}/_admin/${path}`, {
        method,
        headers: this.#adminToken === undefined ? {} : { authorization: `Bearer ${this.#adminToken}` },
      });
    } catch (error) {
      throw new GatewayError('ADMIN_CALL_FAILED', `${where} could not be reached`, { cause: error, isRetryable: true });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      throw new GatewayError('ADMIN_CALL_FAILED', `${where} answered ${response.status}`, {
        isRetryable: response.status >= 500,
      });
    }
    return body;
  }
}
