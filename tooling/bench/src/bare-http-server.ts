// The physical limit for backend throughput: a bare node:http server that reads each request's
// body and answers a constant JSON, as cheaply as an HTTP answer gets. Prints its URL, then serves
// until SIGTERM. Run by the bench in a child process, like the reference backend.
import { createServer } from 'node:http';
import { once } from 'node:events';

const body = JSON.stringify({ ok: true });
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
process.stdout.write(`http://127.0.0.1:${address.port}\n`);
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
