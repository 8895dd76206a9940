import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * An HTTP answer written on the raw socket of an upgrade that is refused before it is accepted:
 * JSON `{"error": {"code", "message"}}`, then the connection closes. It carries a `Date`, as
 * `node:http` answers do (RFC 9110 §6.6.1); our clients never sign on it (SPEC §5: only the
 * identity backend corrects their clock), but an operator reading a refusal sees the server's time.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  error: { readonly code: string; readonly message: string },
  headers: Readonly<Record<string, string>> = {},
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    `date: ${new Date().toUTCString()}`,
    'content-type: application/json',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
