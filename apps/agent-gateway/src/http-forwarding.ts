import type { IncomingMessage, ServerResponse } from 'node:http';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './forwarded-headers.js';
import type { VerifiedCaller } from './gateway-authorization.js';
import { sendJsonError } from './json-error.js';
import type { Upstream } from './upstream.js';

/** How a forwarded exchange went, for the request's record. */
export interface ForwardedExchange {
  readonly status: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/**
 * Sends a verified request upstream with the gateway's credential and streams the answer back
 * as it comes, byte for byte (an SSE stream reaches the client event by event, unbuffered).
 * Resolves when the answer has ended, the client went away, or the upstream failed (502
 * `upstream_unavailable` when nothing was answered yet, else the client's connection is cut so it
 * sees a broken stream rather than a truncated one that looks whole).
 */
export function forwardHttp(
  request: IncomingMessage,
  response: ServerResponse,
  upstream: Upstream,
  caller: VerifiedCaller,
): Promise<ForwardedExchange> {
  return new Promise((resolve) => {
    let bytesIn = 0;
    let bytesOut = 0;
    let settled = false;
    const settle = (status: number): void => {
      if (settled) return;
      settled = true;
      resolve({ status, bytesIn, bytesOut });
    };

    const outgoing = upstream.request(upstream.urlOf(request.url ?? '/'), {
      method: request.method,
      headers: upstreamRequestHeaders(request.headers, upstream.credential, caller, 'http'),
    });
    outgoing.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      response.writeHead(status, downstreamResponseHeaders(answer.headers));
      response.flushHeaders();
      answer.on('data', (chunk: Buffer) => {
        bytesOut += chunk.length;
      });
      answer.pipe(response);
      answer.on('end', () => {
        settle(status);
      });
      answer.on('error', () => {
        response.destroy();
        settle(status);
      });
    });
    outgoing.on('error', () => {
      if (response.headersSent) response.destroy();
      else sendJsonError(response, 502, 'upstream_unavailable', 'the gateway could not reach its upstream');
      settle(502);
    });
    response.on('close', () => {
      if (!response.writableFinished) outgoing.destroy();
      settle(response.statusCode);
    });

    request.on('data', (chunk: Buffer) => {
      bytesIn += chunk.length;
    });
    request.pipe(outgoing);
  });
}
