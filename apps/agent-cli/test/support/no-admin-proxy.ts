import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A backend without the admin API, as the real one is: a reverse proxy to a reference backend
 * that answers every `/_admin/…` route 404. The `Host` header is passed on, so biscuits minted
 * for the proxy's URLs stay valid behind it.
 */
export async function startNoAdminProxy(target: string): Promise<{ readonly url: string } & AsyncDisposable> {
  const upstreamUrl = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    if (incoming.url?.includes('/_admin/') === true) {
      outgoing.writeHead(404, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
      return;
    }
    const upstream = request(
      {
        host: upstreamUrl.hostname,
        port: upstreamUrl.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
