import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * An HTTP answer written straight to a socket that is not (yet) an HTTP response: a WebSocket
 * upgrade refused before it is accepted. The connection closes after it.
 */
export function writeRawResponse(socket: Duplex, status: number, body: string, headers: Record<string, string>): void {
  if (!socket.writable) return;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    // As node:http stamps every other answer: clients learn the server's clock from refusals too.
    `date: ${new Date().toUTCString()}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
