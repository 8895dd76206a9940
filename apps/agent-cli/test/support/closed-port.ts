import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

/** A loopback URL nobody listens on: the port was just free, and is closed again. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}
