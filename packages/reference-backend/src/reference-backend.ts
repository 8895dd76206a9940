import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAgentVerifier } from '@agent-identity/verifier';
import { encodeBase64UrlNoPad } from '@agent-identity/protocol';
import { AdminGuard, isLoopbackHost } from './admin-guard.js';
import { BackendAdmin } from './backend-admin.js';
import type { BackendContext } from './backend-context.js';
import { BackendError } from './backend-error.js';
import { BackendState } from './backend-state.js';
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
import { StateFile } from './state-file.js';
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
  /**
   * Stops listening and ends every connection: WebSockets get a 1001 close frame and a brief
   * grace, everything else (hung requests included) is destroyed. Waits for the last state write.
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
      reject(new BackendError('OPTIONS_INVALID', `cannot listen on ${host}:${port}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
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
  const stateFile = resolved.dataFile === undefined ? undefined : new StateFile(resolved.dataFile);
  const state = new BackendState(await stateFile?.load());
  const shutdown = new AbortController();
  const context: BackendContext = {
    options: resolved,
    users: new UserDirectory(resolved.users),
    state,
    biscuits: new BiscuitStore(),
    counters: new CounterBoard(),
    requests: new RequestLog(),
    faults: new FaultQueue(),
    adminGuard: new AdminGuard(resolved.host, adminToken),
    authApi: { taskIdAnswer: resolved.taskIdAnswer },
    identityJwts: new IdentityJwtIssuer(resolved.randomBytes),
    verifier: createAgentVerifier({
      keys: { publicKey: (agentRuntimeId) => state.activePublicKey(agentRuntimeId) },
      tasks: { taskStatus: (agentRuntimeId, taskId) => state.taskStatus(agentRuntimeId, taskId) },
      windowSeconds: resolved.windowSeconds,
      now: resolved.now,
    }),
    persist: () => stateFile?.save(() => state.snapshot()) ?? Promise.resolve(),
    closing: shutdown.signal,
  };
  // The hub answers other paths with the table's 404, the table's admin routes need the hub: the
  // hub asks the table only once requests arrive, after it exists.
  const websockets = new ResponsesWebSocketHub(context, responsesPath(resolved.pathPrefix), (pathname): HttpError =>
    routes.notFound(pathname),
  );
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

  const address = await listen(server, resolved.port, resolved.host);
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
      await stateFile?.flushed();
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
    close,
    [Symbol.asyncDispose]: close,
  };
}
