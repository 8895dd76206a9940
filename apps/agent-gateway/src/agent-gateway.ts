import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createAgentVerifier } from '@agent-identity/verifier';
import { AdminApiRegistry, type GatewayRegistry } from './admin-api-registry.js';
import type { RegistryAdmin } from './registry-admin.js';
import { Dashboard, DASHBOARD_PREFIX } from './dashboard-endpoints.js';
import { authorizeGatewayRequest } from './gateway-authorization.js';
import { GatewayError } from './gateway-error.js';
import { forwardHttp } from './http-forwarding.js';
import { sendJsonError } from './json-error.js';
import { refuseUpgrade } from './raw-refusal.js';
import { RequestLedger } from './request-ledger.js';
import { Upstream } from './upstream.js';
import { WebSocketForwarding } from './websocket-forwarding.js';

export interface AgentGatewayOptions {
  /** The Responses-compatible base URL requests go to: `{upstream}/v1/responses` (HTTP and WebSocket). */
  readonly upstream: string;
  /** The whole `Authorization` value the gateway sends upstream, e.g. `Bearer <its API key>`. Never logged. */
  readonly upstreamAuthorization: string;
  /**
   * The agents' keys and the tasks' status. Default: read from `admin` (an {@link AdminApiRegistry}
   * with its default staleness). One of `registry` and `admin` is required.
   */
  readonly registry?: GatewayRegistry;
  /** Lists agents and tasks and revokes them for the dashboard (the backend's admin API). */
  readonly admin?: RegistryAdmin;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** The verifier's accepted clock difference, seconds. Default 300. */
  readonly windowSeconds?: number;
  /** The clock, epoch milliseconds: assertion windows and record times. Default `Date.now`. */
  readonly now?: () => number;
  /** Requests kept in the log. Default 1 000. */
  readonly maxRecords?: number;
}

/** A running gateway. */
export interface AgentGateway extends AsyncDisposable {
  /** The origin, `http://127.0.0.1:<port>`: a client's responses base URL (`{url}/v1/responses`). */
  readonly url: string;
  /** The dashboard page. */
  readonly dashboardUrl: string;
  /** Every request so far (the newest `maxRecords`), and the totals by verdict. */
  readonly ledger: RequestLedger;
  close(): Promise<void>;
}

function resolveRegistry(options: AgentGatewayOptions): GatewayRegistry {
  if (options.registry !== undefined) return options.registry;
  if (options.admin !== undefined) return new AdminApiRegistry(options.admin);
  throw new GatewayError('OPTIONS_INVALID', 'the gateway needs a registry or an admin API to read one from');
}

/**
 * Starts the gateway (README): every request but the dashboard's needs a valid `AgentAssertion`,
 * is refused with the SPEC's code otherwise, and goes upstream with the gateway's credential in
 * its place; the answer streams back unchanged, over HTTP (SSE) and WebSocket.
 */
export async function startAgentGateway(options: AgentGatewayOptions): Promise<AgentGateway> {
  const upstream = new Upstream(options.upstream, options.upstreamAuthorization);
  const registry = resolveRegistry(options);
  const now = options.now ?? Date.now;
  const elapsedMs = (): number => performance.now();
  const host = options.host ?? '127.0.0.1';
  const verifier = createAgentVerifier({
    keys: registry,
    tasks: registry,
    now,
    ...(options.windowSeconds === undefined ? {} : { windowSeconds: options.windowSeconds }),
  });
  const ledger = new RequestLedger(options.maxRecords);
  const dashboard = new Dashboard({
    upstream: upstream.base.href,
    ledger,
    registry,
    admin: options.admin,
    listenHost: host,
  });
  const sockets = new WebSocketForwarding({ upstream, registry, ledger, now, elapsedMs });

  async function onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === DASHBOARD_PREFIX || path.startsWith(`${DASHBOARD_PREFIX}/`)) {
      await dashboard.handle(request, response, path);
      return;
    }
    const arrivedAt = now();
    const startedMs = elapsedMs();
    const authorization = await authorizeGatewayRequest(request.headers.authorization, verifier);
    let status: number;
    let bytesIn = 0;
    let bytesOut = 0;
    if (authorization.ok) {
      ({ status, bytesIn, bytesOut } = await forwardHttp(request, response, upstream, authorization.caller));
    } else {
      // The refused body is never read: the answer goes out, the rest is discarded.
      request.resume();
      status = authorization.status;
      bytesOut = sendJsonError(response, status, authorization.code, authorization.message);
    }
    const caller = authorization.ok ? authorization.caller : authorization.claimed;
    ledger.add({
      at: new Date(arrivedAt).toISOString(),
      transport: 'http',
      path,
      agentRuntimeId: caller?.agentRuntimeId ?? null,
      taskId: caller?.taskId ?? null,
      verified: authorization.ok,
      verdict: authorization.ok ? 'accepted' : authorization.code,
      status,
      latencyMs: elapsedMs() - startedMs,
      bytesIn,
      bytesOut,
    });
  }

  async function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    const arrivedAt = now();
    const startedMs = elapsedMs();
    const authorization = await authorizeGatewayRequest(request.headers.authorization, verifier);
    if (authorization.ok) {
      sockets.accept(request, socket, head, authorization.caller);
      return;
    }
    refuseUpgrade(socket, authorization.status, authorization.code, authorization.message);
    ledger.add({
      at: new Date(arrivedAt).toISOString(),
      transport: 'ws',
      path,
      agentRuntimeId: authorization.claimed?.agentRuntimeId ?? null,
      taskId: authorization.claimed?.taskId ?? null,
      verified: false,
      verdict: authorization.code,
      status: authorization.status,
      latencyMs: elapsedMs() - startedMs,
      bytesIn: 0,
      bytesOut: 0,
    });
  }

  const server = createServer((request, response) => {
    onRequest(request, response).catch(() => {
      if (!response.headersSent) sendJsonError(response, 500, 'internal_error', 'the gateway failed');
      else response.destroy();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    onUpgrade(request, socket, head).catch(() => socket.destroy());
  });
  const port = options.port ?? 0;
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    sockets.close();
    upstream.close();
    throw new GatewayError('LISTEN_FAILED', listenFailureMessage(host, port, error), { cause: error });
  }
  const url = `http://${hostInUrl(host)}:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      sockets.close();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
      upstream.close();
    })();
    return closing;
  };
  return {
    url,
    dashboardUrl: `${url}${DASHBOARD_PREFIX}/`,
    ledger,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function hostInUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The address and the system's reason (`EADDRINUSE`, `EACCES`, …): what the operator must change. */
function listenFailureMessage(host: string, port: number, error: unknown): string {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? `: ${error.code}` : '';
  return `cannot listen on ${hostInUrl(host)}:${port}${code}`;
}
