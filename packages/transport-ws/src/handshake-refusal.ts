import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { TransportWsError } from './transport-ws-error.js';

/** What a server said when it answered an upgrade without upgrading. */
export interface HandshakeRefusal {
  readonly status: number;
  /** The body's `error.code` (SPEC §3.8 `{"error": {"code", "message"}}`), if it had one. */
  readonly reason: string | undefined;
}

/** Enough of any refusal body to find its reason; a server is free to use codes of its own. */
const RefusalBody = z.object({ error: z.looseObject({ code: z.string() }) });

// A refusal body is a short JSON object; anything longer is not worth holding in memory.
const MAX_REFUSAL_BODY_BYTES = 64 * 1024;

/**
 * Reads the body of a refused upgrade (`ws`'s `unexpected-response`) for its reason code. Never
 * rejects: a body that ends early, is too long or is not the JSON error shape gives no reason.
 */
export async function readHandshakeRefusal(response: IncomingMessage): Promise<HandshakeRefusal> {
  const status = response.statusCode ?? 0;
  const body = await readCappedBody(response);
  let reason: string | undefined;
  try {
    const parsed = RefusalBody.safeParse(JSON.parse(body));
    reason = parsed.success ? parsed.data.error.code : undefined;
  } catch {
    reason = undefined;
  }
  return { status, reason };
}

function readCappedBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      response.removeAllListeners('data');
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REFUSAL_BODY_BYTES) {
        chunks.length = 0;
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', done);
    response.once('close', done);
    response.once('error', done);
  });
}

/** Statuses worth retrying later: the server was busy or timed out, not refusing the caller. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function handshakeRejected(url: string, refusal: HandshakeRefusal): TransportWsError {
  const { status, reason } = refusal;
  const because = reason === undefined ? '' : ` (${reason})`;
  return new TransportWsError(
    'HANDSHAKE_REJECTED',
    `WebSocket handshake to ${url} was refused with status ${status}${because}`,
    {
      url,
      status,
      reason,
      isRetryable: isRetryableStatus(status),
    },
  );
}
