import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createAgentFetch } from '@agent-identity/api-bridge';
import type { AgentIdentityRuntime } from '@agent-identity/core';
import { decodeAgentAssertionHeader, DownstreamRejectionCode } from '@agent-identity/protocol';
import { createAgentSocketPool } from '@agent-identity/transport-ws';
import { describe, expect, it } from 'vitest';
import { FileRuntimeBed } from './support/file-runtime-bed.js';

const TEN_MINUTES_MS = 10 * 60_000;
/** How far a signed timestamp may be from the real time: its second plus a round trip. */
const TOLERANCE_MS = 3_000;
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** What core's `afterRefusal` (SPEC §4.7) makes of a downstream 401, over HTTP and WebSocket alike. */
type Outcome = 'new task, sent again' | 'same task, sent again on the corrected clock' | 'returned as it is';

/** The one table: every SPEC §3.8 refusal code and what follows it. */
const OUTCOMES: Readonly<Record<DownstreamRejectionCode, Outcome>> = {
  task_invalid: 'new task, sent again',
  unknown_task: 'new task, sent again',
  unknown_agent: 'new task, sent again',
  expired: 'same task, sent again on the corrected clock',
  from_future: 'same task, sent again on the corrected clock',
  bad_signature: 'returned as it is',
  malformed_assertion: 'returned as it is',
  invalid_token: 'returned as it is',
  missing_authorization: 'returned as it is',
  account_mismatch: 'returned as it is',
};

const transports = ['http', 'websocket'] as const;
const rows = DownstreamRejectionCode.options.flatMap((code) =>
  transports.map((transport) => ({ code, transport, outcome: OUTCOMES[code] })),
);

/**
 * A downstream service that refuses the first request (or handshake) with `code`, after running
 * `beforeRefusing`, and accepts every later one. Records the `Authorization` of each.
 */
async function startRefuseOnceDownstream(code: string, beforeRefusing: () => Promise<void>) {
  const authorizations: string[] = [];
  const answer = async (request: IncomingMessage): Promise<string | undefined> => {
    authorizations.push(request.headers.authorization ?? '');
    if (authorizations.length > 1) return undefined;
    await beforeRefusing();
    return JSON.stringify({ error: { code, message: 'refused' } });
  };
  const server = createServer((request, response) => {
    request.resume();
    void answer(request).then((refusal) => {
      response.writeHead(refusal === undefined ? 200 : 401, { 'content-type': 'application/json' });
      response.end(refusal ?? '{"ok":true}');
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    void answer(request).then((refusal) => {
      if (refusal !== undefined) {
        socket.end(
          'HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n' +
            `content-length: ${Buffer.byteLength(refusal)}\r\nconnection: close\r\n\r\n${refusal}`,
        );
        return;
      }
      const accept = createHash('sha1')
        .update(`${request.headers['sec-websocket-key'] ?? ''}${WEBSOCKET_GUID}`)
        .digest('base64');
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n' +
          `sec-websocket-accept: ${accept}\r\n\r\n`,
      );
      // the only frame a client sends here is its close: end the connection at once
      socket.on('data', () => socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    httpUrl: `http://127.0.0.1:${port}/v1/responses`,
    wsUrl: `ws://127.0.0.1:${port}/v1/responses`,
    authorizations,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Another thread of `runtime` registers a task: the identity backend's `Date` corrects the clock. */
async function correctTheClock(runtime: AgentIdentityRuntime): Promise<void> {
  const other = await runtime.startThread({ ephemeral: true });
  const turn = await other.beginTurn();
  if (!turn.ok) throw new Error(turn.event.message);
}

function signedAtMs(authorization: string | undefined): number {
  return Date.parse(decodeAgentAssertionHeader(authorization ?? '').timestamp);
}

describe('downstream recovery: every refusal code × HTTP and WebSocket, one rule in core (SPEC §4.7)', () => {
  it('the table names every SPEC §3.8 code', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual([...DownstreamRejectionCode.options].sort());
  });

  it.each(rows)(
    '$code over $transport: $outcome',
    async ({ code, transport, outcome }) => {
      await FileRuntimeBed.run({}, async (bed) => {
        // a thread with a cached task, resumed by a runtime whose clock is 10 minutes behind and
        // that has not heard from the identity backend yet: its first request is signed off time
        const first = await bed.runtime().startThread();
        await first.prewarmed;
        const task = first.task;
        const runtime = bed.runtime({ now: () => Date.now() - TEN_MINUTES_MS });
        const thread = await runtime.resumeThread(first.id);
        await thread.prewarmed;
        expect(thread.task).toEqual(task);
        // the identity backend corrects the clock while the refused request is in flight
        await using downstream = await startRefuseOnceDownstream(code, () => correctTheClock(runtime));

        let accepted: boolean;
        if (transport === 'http') {
          const response = await createAgentFetch(thread)(downstream.httpUrl, { method: 'POST', body: '{}' });
          await response.arrayBuffer();
          accepted = response.ok;
        } else {
          const pool = createAgentSocketPool(thread, { url: downstream.wsUrl });
          accepted = await pool.checkout(await bed.turnAuth(thread)).then(
            (lease) => {
              lease.release();
              return true;
            },
            () => false,
          );
          await pool.close();
        }

        const [refused, resent, ...more] = downstream.authorizations;
        expect(more).toEqual([]);
        expect(Math.abs(signedAtMs(refused) - (Date.now() - TEN_MINUTES_MS))).toBeLessThan(TOLERANCE_MS);
        if (outcome === 'returned as it is') {
          expect(accepted).toBe(false);
          expect(resent).toBeUndefined();
          expect(thread.task).toEqual(task);
          return;
        }
        expect(accepted).toBe(true);
        expect(Math.abs(signedAtMs(resent) - Date.now())).toBeLessThan(TOLERANCE_MS);
        const resentTaskId = decodeAgentAssertionHeader(resent ?? '').task_id;
        if (outcome === 'new task, sent again') {
          expect(thread.task?.taskId).not.toBe(task?.taskId);
          expect(resentTaskId).toBe(thread.task?.taskId);
        } else {
          expect(thread.task).toEqual(task);
          expect(resentTaskId).toBe(task?.taskId);
        }
      });
    },
    30_000,
  );
});
