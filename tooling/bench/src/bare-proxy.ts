import { Agent, createServer, request as httpRequest } from 'node:http';
import { serveOnLoopback, type LoopbackServer } from './loopback-server.js';

/**
 * The naive baseline of the gateway benchmark: a `node:http` reverse proxy that does only what
 * any proxy must — swap the credential, pipe the request up and the answer back over a keep-alive
 * pool — and checks nothing.
 */
export async function startBareProxy(upstream: string, credential: string): Promise<LoopbackServer> {
  const agent = new Agent({ keepAlive: true });
  const server = createServer((request, response) => {
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
  const served = await serveOnLoopback(server);
  return {
    url: served.url,
    close: async () => {
      await served.close();
      agent.destroy();
    },
  };
}
