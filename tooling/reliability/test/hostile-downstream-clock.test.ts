import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createAgentFetch } from '@agent-identity/api-bridge';
import { decodeAgentAssertionHeader } from '@agent-identity/protocol';
import { createAgentSocketPool } from '@agent-identity/transport-ws';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileRuntimeBed } from './support/file-runtime-bed.js';
import { PROPERTY_RUNS, PROPERTY_TEST_TIMEOUT_MS } from './support/loop-counts.js';

/** How far a signed timestamp may be from the real time: its second plus a round trip. */
const TOLERANCE_MS = 3_000;
const HOUR_MS = 60 * 60_000;

/**
 * A downstream service that lies about the time: every HTTP request and every WebSocket handshake
 * is answered with `status` and the refusal `code`, its `Date` header `skewMs` off the real time.
 * Records the `Authorization` of everything it receives.
 */
async function startLyingDownstream(answer: () => { status: number; code: string; skewMs: number }) {
  const authorizations: string[] = [];
  const answerOf = (request: IncomingMessage) => {
    authorizations.push(request.headers.authorization ?? '');
    const { status, code, skewMs } = answer();
    const body = JSON.stringify(status === 200 ? { ok: true } : { error: { code, message: 'refused' } });
    return { status, body, date: new Date(Date.now() + skewMs).toUTCString() };
  };
  const server = createServer((request, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const { status, body, date } = answerOf(request);
      response.writeHead(status, { date, 'content-type': 'application/json' });
      response.end(body);
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    const { status, body, date } = answerOf(request);
    socket.end(
      `HTTP/1.1 ${status} Refused\r\ndate: ${date}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    httpUrl: `http://127.0.0.1:${port}/v1/responses`,
    wsUrl: `ws://127.0.0.1:${port}/v1/responses`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

const lies = fc.record({
  status: fc.constantFrom(200, 401),
  code: fc.constantFrom('expired', 'from_future'),
  // from a minute to two days, ahead or behind: a bound on what the lie may be would be a bound to exploit
  skewMs: fc.integer({ min: 60_000, max: 48 * HOUR_MS }).chain((ms) => fc.constantFrom(ms, -ms)),
  overWebSocket: fc.boolean(),
});

describe('a hostile downstream never moves the signing clock (SPEC §5, security rules)', () => {
  it(
    'whatever Date a downstream sends on any answer (HTTP or handshake, accepted or refused), no assertion is ever signed off the real time',
    async () => {
      await FileRuntimeBed.run({}, async (bed) => {
        const runtime = bed.runtime();
        const thread = await runtime.startThread();
        await thread.prewarmed;
        let lie = { status: 401, code: 'expired', skewMs: 23 * HOUR_MS };
        const downstream = await startLyingDownstream(() => lie);
        const agentFetch = createAgentFetch(thread);
        const pool = createAgentSocketPool(thread, { url: downstream.wsUrl });
        try {
          await fc.assert(
            fc.asyncProperty(lies, async ({ overWebSocket, ...next }) => {
              lie = next;
              const sent = downstream.authorizations.length;
              if (overWebSocket) {
                await pool.checkout(await bed.turnAuth(thread)).then(
                  (lease) => {
                    lease.release();
                  },
                  () => undefined,
                );
              } else {
                await (await agentFetch(downstream.httpUrl, { method: 'POST', body: '{}' })).arrayBuffer();
              }
              expect(runtime.clockOffsetMs).toBe(0);
              // one request each: a lie is never a reason to retry
              expect(downstream.authorizations.length - sent).toBe(1);
              for (const header of downstream.authorizations.slice(sent)) {
                expect(Math.abs(Date.parse(decodeAgentAssertionHeader(header).timestamp) - Date.now())).toBeLessThan(
                  TOLERANCE_MS,
                );
              }
            }),
            {
              numRuns: PROPERTY_RUNS,
              examples: [[{ status: 401, code: 'expired', skewMs: 23 * HOUR_MS, overWebSocket: false }]],
            },
          );
        } finally {
          await pool.close();
          await downstream.close();
        }
      });
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
});
