import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { jsonErrorBody } from './json-error.js';

/**
 * Refuses a WebSocket handshake with a plain HTTP answer on the raw socket (SPEC §3.8: a bad
 * handshake gets the 401 JSON error, never an open socket), then closes it.
 */
export function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = jsonErrorBody(code, message);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'content-type: application/json\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
