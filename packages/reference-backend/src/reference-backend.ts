import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  CachedRegistry,
  openRegistryStore,
  type RegistryChange,
  type RegistryStoreKind,
} from '@agent-identity/registry';
import { createAgentVerifier } from '@agent-identity/verifier';
import { encodeBase64UrlNoPad } from '@agent-identity/protocol';
import { AdminGuard, isLoopbackHost } from './admin-guard.js';
import { BackendAdmin } from './backend-admin.js';
import type { BackendContext } from './backend-context.js';
import { BackendError } from './backend-error.js';
import { BiscuitStore } from './biscuit-store.js';
import { CounterBoard } from './counters.js';
import { FaultQueue } from './faults.js';
import { resolveBackendOptions, type ReferenceBackendOptions } from './options.js';
import { RequestLog } from './request-log.js';
import { ResponsesWebSocketHub } from './responses-websocket.js';
import { dispatch } from './router.js';
import type { HttpError } from './http-error.js';
import { IdentityJwtIssuer } from './identity-jwt-issuer.js';
import { RouteTable } from './route-table.js';
import { createRoutes, jwksPath, responsesPath } from './routes.js';
import { UserDirectory } from './user-directory.js';

/** A running reference backend. `await using` closes it. */
export interface ReferenceBackend extends AsyncDisposable {
  /** The origin, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `url` + the `pathPrefix` option: what a client uses as its backend base URL. */
  readonly baseUrl: string;
  /** `url` + the `authApiPathPrefix` option: the current profile's AuthAPI base (CODEX-CURRENT.md). */
  readonly authApiUrl: string;
  /** Where identity JWTs are checked: `{baseUrl}/wham/agent-identities/jwks` or `{baseUrl}/agent-identities/jwks`. */
  readonly jwksUrl: string;
  /** `{baseUrl}/v1/responses`. */
  readonly responsesUrl: string;
  /** `ws://…/v1/responses` under `baseUrl`. */
  readonly websocketUrl: string;
  readonly port: number;
  readonly admin: BackendAdmin;
  /**
   * The bearer token `/_admin` requires: the `adminToken` option, or a random one when listening
   * beyond loopback; `undefined` on loopback without one. A secret: never log it.
   */
  readonly adminToken: string | undefined;
  /** Where the registry lives: `'memory'`, `'pglite'` (`dataDir`) or `'postgres'` (`databaseUrl`). */
  readonly registryKind: RegistryStoreKind;
  /**
   * Stops listening and ends every connection: WebSockets get a 1001 close frame and a brief
   * grace, everything else (hung requests included) is destroyed; then closes the registry it opened.
   */
  close(): Promise<void>;
}

// Slow clients must not pin connections: headers within 10 s, a whole request within 30 s. Node
// checks these every `connectionsCheckingInterval` (30 s by default), so check every second.
const headersTimeoutMs = 10_000;
const requestTimeoutMs = 30_000;
const keepAliveTimeoutMs = 5_000;
const timeoutCheckIntervalMs = 1_000;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(new BackendError('LISTEN_FAILED', listenFailureMessage(host, port, error), { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** The address and the system's reason (`EADDRINUSE`, `EACCES`, …): what the operator must change. */
function listenFailureMessage(host: string, port: number, error: Error): string {
  const reason = 'code' in error && typeof error.code === 'string' ? `: ${error.code}` : '';
  return `cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}${reason}`;
}

function originOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Starts a backend (SPEC §1, §3.2–3.5, §3.8) and resolves once it listens. */
export async function startReferenceBackend(options: ReferenceBackendOptions = {}): Promise<ReferenceBackend> {
  const resolved = resolveBackendOptions(options);
  const adminToken =
    resolved.adminToken ?? (isLoopbackHost(resolved.host) ? undefined : encodeBase64UrlNoPad(resolved.randomBytes(32)));
  const ownsRegistry = resolved.registry === undefined;
  const registry =
    resolved.registry ?? (await openRegistryStore({ dataDir: resolved.dataDir, databaseUrl: resolved.databaseUrl }));
  // The verifier asks the registry through a bounded cache that every instance's revocations clear.
  const registryCache = new CachedRegistry(registry);
  const shutdown = new AbortController();
  const context: BackendContext = {
    options: resolved,
    users: new UserDirectory(resolved.users),
    registry,
    biscuits: new BiscuitStore(registry),
    counters: new CounterBoard(),
    requests: new RequestLog(),
    faults: new FaultQueue(),
    adminGuard: new AdminGuard(resolved.host, adminToken),
    authApi: { taskIdAnswer: resolved.taskIdAnswer },
    identityJwts: new IdentityJwtIssuer(resolved.randomBytes),
    verifier: createAgentVerifier({
      keys: registryCache,
      tasks: registryCache,
      windowSeconds: resolved.windowSeconds,
      now: resolved.now,
    }),
    applyChange: (change) => {
      registryCache.forget(change);
      closeRevokedSockets(change);
    },
    closing: shutdown.signal,
  };
  // The hub answers other paths with the table's 404, the table's admin routes need the hub: the
  // hub asks the table only once requests arrive, after it exists.
  const websockets = new ResponsesWebSocketHub(context, responsesPath(resolved.pathPrefix), (pathname): HttpError =>
    routes.notFound(pathname),
  );
  const closeRevokedSockets = (change: RegistryChange): void => {
    if (change.kind === 'task_revoked') websockets.closeRevoked('task_invalid', change.agentRuntimeId, change.taskId);
    if (change.kind === 'agent_revoked') websockets.closeRevoked('unknown_agent', change.agentRuntimeId);
  };
  // Revocations made on other instances sharing the registry (the cache hears them by itself).
  const unsubscribe = registry.subscribe(closeRevokedSockets);
  const admin = new BackendAdmin(context, websockets);
  const routes: RouteTable = new RouteTable(createRoutes(admin, resolved));

  const server = createServer({
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: timeoutCheckIntervalMs,
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (request, response) => {
    void dispatch(request, response, routes, context);
  });
  server.on('upgrade', (request, socket, head) => {
    websockets.handleUpgrade(request, socket, head);
  });

  let address: AddressInfo;
  try {
    address = await listen(server, resolved.port, resolved.host);
  } catch (error) {
    unsubscribe();
    registryCache[Symbol.dispose]();
    if (ownsRegistry) await registry.close();
    throw error;
  }
  const url = originOf(address);
  const baseUrl = `${url}${resolved.pathPrefix}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      shutdown.abort();
      const serverClosed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      await websockets.closeAll();
      for (const socket of sockets) socket.destroy();
      await serverClosed;
      unsubscribe();
      registryCache[Symbol.dispose]();
      if (ownsRegistry) await registry.close();
    })();
    return closed;
  };

  return {
    url,
    baseUrl,
    authApiUrl: `${url}${resolved.authApiPathPrefix}`,
    jwksUrl: `${url}${jwksPath(resolved.pathPrefix)}`,
    responsesUrl: `${baseUrl}/v1/responses`,
    websocketUrl: `${baseUrl.replace(/^http/, 'ws')}/v1/responses`,
    port: address.port,
    admin,
    adminToken,
    registryKind: registry.kind,
    close,
    [Symbol.asyncDispose]: close,
  };
}
