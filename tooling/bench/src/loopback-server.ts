import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server of the bench's own, listening on 127.0.0.1 port 0. */
export interface LoopbackServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts `server` on a free loopback port; `close()` drops its connections and waits until it has closed. */
export async function serveOnLoopback(server: Server): Promise<LoopbackServer> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
