import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createUpgradeGuard, type UpgradeGuardOptions } from '../../src/upgrade-guard.js';
import type { UpgradeCaller } from '../../src/upgrade-caller.js';

export interface AcceptedConnection<BearerIdentity> {
  readonly socket: WebSocket;
  readonly caller: UpgradeCaller<BearerIdentity>;
  readonly request: IncomingMessage;
}

export type GuardServerOptions<BearerIdentity> = Omit<UpgradeGuardOptions<BearerIdentity>, 'wss'>;

/**
 * A service of the test's own: `node:http` + `ws` with the upgrade guard, on 127.0.0.1 port 0.
 * Records the headers of every upgrade request it receives and every connection it accepts.
 */
export class GuardServer<BearerIdentity = never> {
  readonly handshakes: IncomingHttpHeaders[] = [];
  readonly accepted: AcceptedConnection<BearerIdentity>[] = [];
  /** What `wss` announced with its `connection` event: (request, caller) pairs. */
  readonly announced: { request: IncomingMessage; caller: unknown }[] = [];
  readonly wss = new WebSocketServer({ noServer: true });
  readonly #server = createServer();
  readonly #upgradeSockets = new Set<Duplex>();
  #url = '';

  private constructor(options: GuardServerOptions<BearerIdentity>) {
    const guard = createUpgradeGuard<BearerIdentity>({
      ...options,
      wss: this.wss,
      onConnection: (socket, caller, request) => {
        this.accepted.push({ socket, caller, request });
        options.onConnection?.(socket, caller, request);
      },
    });
    this.wss.on('connection', (_socket: WebSocket, request: IncomingMessage, caller: unknown) => {
      this.announced.push({ request, caller });
    });
    this.#server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
      this.handshakes.push(request.headers);
      this.#upgradeSockets.add(socket);
      socket.once('close', () => this.#upgradeSockets.delete(socket));
      guard(request, socket, head);
    });
  }

  static async start<BearerIdentity = never>(
    options: GuardServerOptions<BearerIdentity>,
  ): Promise<GuardServer<BearerIdentity>> {
    const server = new GuardServer<BearerIdentity>(options);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    const { port } = server.#server.address() as AddressInfo;
    server.#url = `ws://127.0.0.1:${port}/v1/responses`;
    servers.push(server);
    return server;
  }

  get url(): string {
    return this.#url;
  }

  /** Every `Authorization` header received, in order. */
  authorizations(): (string | undefined)[] {
    return this.handshakes.map((headers) => headers.authorization);
  }

  /** Runs `listener` on the raw socket of the next upgrade request, before the guard sees it. */
  onNextUpgrade(listener: (socket: Duplex) => void): void {
    this.#server.prependOnceListener('upgrade', (_request: IncomingMessage, socket) => {
      listener(socket);
    });
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.#server.closeAllConnections();
    for (const socket of this.#upgradeSockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }
}

const servers: GuardServer<unknown>[] = [];

/** For `afterEach`. */
export async function closeGuardServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((server) => server.close()));
}
