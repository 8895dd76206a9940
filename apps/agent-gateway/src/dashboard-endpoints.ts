import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRegistry } from './admin-api-registry.js';
import type { RegistryAdmin } from './registry-admin.js';
import { dashboardRefusal } from './dashboard-guard.js';
import {
  DASHBOARD_REQUESTS,
  renderDashboardPage,
  renderDashboardPanel,
  type DashboardState,
} from './dashboard-page.js';
import { sendJsonError } from './json-error.js';
import type { RequestLedger } from './request-ledger.js';

/** Where the dashboard lives on the gateway; every other path is forwarded upstream. */
export const DASHBOARD_PREFIX = '/_gateway';

export interface DashboardContext {
  readonly upstream: string;
  readonly ledger: RequestLedger;
  readonly registry: GatewayRegistry;
  readonly admin: RegistryAdmin | undefined;
  readonly listenHost: string;
}

function sendBody(response: ServerResponse, contentType: string, body: string): void {
  response.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(body);
}

/**
 * The dashboard (README: *The dashboard*): the page, its changing panel, a stream of new
 * requests, the request log as JSON, and revocation through the registry's admin API.
 */
export class Dashboard {
  readonly #context: DashboardContext;

  constructor(context: DashboardContext) {
    this.#context = context;
  }

  async handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const refusal = dashboardRefusal(request, this.#context.listenHost);
    if (refusal !== undefined) {
      sendJsonError(response, 403, refusal, 'the dashboard answers its own page on a loopback host only');
      return;
    }
    const route = path.slice(DASHBOARD_PREFIX.length);
    const revoke = /^\/(agents|tasks)\/([^/]+)\/revoke$/.exec(route);
    if (request.method === 'POST' && revoke !== null) {
      await this.#revoke(response, revoke[1] === 'agents' ? 'agent' : 'task', decodeURIComponent(revoke[2] ?? ''));
      return;
    }
    if (request.method !== 'GET') {
      sendJsonError(response, 405, 'method_not_allowed', `${request.method ?? ''} ${path} is not a dashboard call`);
      return;
    }
    switch (route) {
      case '':
      case '/':
        sendBody(response, 'text/html; charset=utf-8', renderDashboardPage(await this.state()));
        return;
      case '/panel':
        sendBody(response, 'text/html; charset=utf-8', renderDashboardPanel(await this.state()));
        return;
      case '/requests': {
        const { ledger } = this.#context;
        sendBody(response, 'application/json', JSON.stringify({ requests: ledger.records(), totals: ledger.totals() }));
        return;
      }
      case '/events':
        this.#events(request, response);
        return;
      default:
        sendJsonError(response, 404, 'not_found', `no dashboard page ${path}`);
    }
  }

  async state(): Promise<DashboardState> {
    const { upstream, ledger, admin } = this.#context;
    return {
      upstream,
      requests: ledger.records().slice(-DASHBOARD_REQUESTS),
      totals: ledger.totals(),
      registry: await this.#registryState(admin),
    };
  }

  async #registryState(admin: RegistryAdmin | undefined): Promise<DashboardState['registry']> {
    if (admin === undefined)
      return { ok: false, reason: 'this gateway has no registry admin API to list or revoke with' };
    try {
      const [agents, tasks] = await Promise.all([admin.agents(), admin.tasks()]);
      return { ok: true, agents, tasks };
    } catch {
      return { ok: false, reason: "the registry's admin API cannot be read right now" };
    }
  }

  async #revoke(response: ServerResponse, kind: 'agent' | 'task', id: string): Promise<void> {
    const { admin, registry } = this.#context;
    if (admin === undefined) {
      sendJsonError(response, 404, 'not_found', 'this gateway has no registry admin API to revoke with');
      return;
    }
    try {
      await (kind === 'agent' ? admin.revokeAgent(id) : admin.revokeTask(id));
    } catch {
      sendJsonError(response, 502, 'revocation_failed', `the registry did not revoke ${kind} ${id}`);
      return;
    }
    // The gateway made the change: its next request must not be answered from the older copy.
    registry.invalidate?.();
    sendBody(response, 'application/json', JSON.stringify({ revoked: { kind, id } }));
  }

  /** Server-sent events: one `request` event (the record's id) per new request, until the page goes. */
  #events(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write(': connected\n\n');
    const unsubscribe = this.#context.ledger.subscribe((record) => {
      response.write(`event: request\ndata: ${record.id}\n\n`);
    });
    request.on('close', unsubscribe);
  }
}
