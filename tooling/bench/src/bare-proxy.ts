import { once } from 'node:events';
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The naive baseline of the gateway benchmark: a `node:http` reverse proxy that does only what
 * any proxy must — swap the credential, pipe the request up and the answer back over a keep-alive
 * pool — and checks nothing.
 */
export async function startBareProxy(
  upstream: string,
  credential: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer((request, response) => {
    const headers = { ...request.headers, authorization: credential };
    delete headers.host;
    delete headers.connection;
    const outgoing = httpRequest(`${upstream}${request.url ?? '/'}`, { method: request.method, headers, agent });
    outgoing.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      agent.destroy();
      await once(server, 'close');
    },
  };
}
