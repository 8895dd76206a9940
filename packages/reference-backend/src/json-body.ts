import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** 64 KiB: every body of this protocol is well under 1 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

const jsonMediaType = /^application\/json\s*(?:;|$)/i;

function payloadTooLarge(): HttpError {
  return new HttpError(413, 'payload_too_large', `request body is larger than ${MAX_BODY_BYTES} bytes`, {
    connection: 'close',
  });
}

/**
 * The request body as parsed JSON: `application/json` (415 otherwise), at most
 * {@link MAX_BODY_BYTES} (413, decided from `Content-Length` before reading when it is sent),
 * UTF-8 JSON (400 `invalid_json`).
 */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (!jsonMediaType.test(request.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'unsupported_media_type', 'request body must be application/json');
  }
  const declaredLength = Number(request.headers['content-length'] ?? 0);
  if (declaredLength > MAX_BODY_BYTES) throw payloadTooLarge();

  const body = await readBody(request);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid UTF-8 JSON');
  }
}

/**
 * Collects the body with events rather than an async iterator: leaving an iterator early destroys
 * the socket, and the client would never see the 413. Past the limit the rest is discarded until
 * the answer (with `Connection: close`) ends the connection.
 */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      outcome();
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > MAX_BODY_BYTES) {
        chunks.length = 0;
        settle(() => {
          reject(payloadTooLarge());
        });
      } else {
        chunks.push(chunk);
      }
    });
    request.on('end', () => {
      settle(() => {
        resolve(Buffer.concat(chunks));
      });
    });
    request.on('close', () => {
      settle(() => {
        reject(new HttpError(400, 'request_aborted', 'the request body ended early'));
      });
    });
  });
}
