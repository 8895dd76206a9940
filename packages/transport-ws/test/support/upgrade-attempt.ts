import { WebSocket } from 'ws';

export type UpgradeOutcome =
  | { readonly kind: 'open'; readonly socket: WebSocket }
  | {
      readonly kind: 'refused';
      readonly status: number;
      readonly headers: Readonly<Record<string, string | string[] | undefined>>;
      readonly body: unknown;
    };

/**
 * A handshake with plain `ws`, independent of this package's client: open, or refused with the
 * status, headers and JSON body `ws` reports through `unexpected-response`.
 */
export function attemptUpgrade(url: string, headers: Record<string, string>): Promise<UpgradeOutcome> {
  const socket = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.once('open', () => {
      resolve({ kind: 'open', socket });
    });
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        socket.terminate();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          kind: 'refused',
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: JSON.parse(text) as unknown,
        });
      });
    });
  });
}

/** The close code and reason a socket ends with. */
export function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) {
      resolve({ code: -1, reason: 'already closed' });
      return;
    }
    socket.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
}
