import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CREDENTIALS_REVOKED_CLOSE_CODE } from '@agent-identity/protocol';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { GatewayRegistry } from './admin-api-registry.js';
import { upstreamRequestHeaders } from './forwarded-headers.js';
import type { VerifiedCaller } from './gateway-authorization.js';
import { refuseUpgrade } from './raw-refusal.js';
import type { RequestLedger } from './request-ledger.js';
import type { Upstream } from './upstream.js';

// The events that end one answer on a Responses WebSocket (SPEC §3.8): the frame's request is done.
const TERMINAL_EVENTS = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

/** Close codes a peer may send (RFC 6455 §7.4): 1005, 1006 and 1015 only describe what happened. */
function isSendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
  );
}

function passClose(to: WebSocket, code: number, reason: Buffer): void {
  if (to.readyState === WebSocket.CLOSED || to.readyState === WebSocket.CLOSING) return;
  if (isSendableCloseCode(code)) to.close(code, reason);
  else to.terminate();
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((total, part) => total + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

function eventType(data: RawData, isBinary: boolean): string | undefined {
  if (isBinary) return undefined;
  try {
    const event: unknown = JSON.parse(textOf(data));
    return typeof event === 'object' && event !== null && 'type' in event && typeof event.type === 'string'
      ? event.type
      : undefined;
  } catch {
    return undefined;
  }
}

/** Why a verified socket's caller may no longer send: its task or agent was revoked since the handshake. */
async function revocationCode(registry: GatewayRegistry, caller: VerifiedCaller): Promise<string | undefined> {
  if ((await registry.publicKey(caller.agentRuntimeId)) === undefined) return 'unknown_agent';
  const status = await registry.taskStatus(caller.agentRuntimeId, caller.taskId);
  if (status === 'revoked') return 'task_invalid';
  if (status === 'unknown') return 'unknown_task';
  return undefined;
}

interface PendingAnswer {
  readonly arrivedAt: number;
  readonly startedMs: number;
  readonly bytesIn: number;
  bytesOut: number;
}

export interface WebSocketForwardingContext {
  readonly upstream: Upstream;
  readonly registry: GatewayRegistry;
  readonly ledger: RequestLedger;
  readonly now: () => number;
  readonly elapsedMs: () => number;
}

/**
 * A verified WebSocket, joined to one upstream socket opened with the gateway's credential:
 * frames pass through unchanged both ways, and each `response.create` frame is recorded when its
 * terminal event comes back. Before each client frame goes upstream the caller's task is checked
 * again, so a task revoked while its socket is open is refused there too (close `4401`, the
 * reason the SPEC code a new handshake would get), as the reference backend does.
 */
export class WebSocketForwarding {
  readonly #context: WebSocketForwardingContext;
  readonly #server = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #open = new Set<WebSocket>();

  constructor(context: WebSocketForwardingContext) {
    this.#context = context;
  }

  /** Opens the upstream socket, then accepts the client's; an upstream that refuses is a 502. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, caller: VerifiedCaller): void {
    const { upstream } = this.#context;
    const path = request.url ?? '/';
    const upstreamSocket = new WebSocket(upstream.webSocketUrlOf(path), {
      headers: upstreamRequestHeaders(request.headers, upstream.credential, caller, 'ws') as Record<string, string>,
      perMessageDeflate: false,
    });
    this.#open.add(upstreamSocket);
    upstreamSocket.on('close', () => this.#open.delete(upstreamSocket));
    const refuse = (): void => {
      upstreamSocket.terminate();
      refuseUpgrade(socket, 502, 'upstream_unavailable', 'the gateway could not open its upstream WebSocket');
    };
    upstreamSocket.once('unexpected-response', refuse);
    upstreamSocket.once('error', refuse);
    upstreamSocket.once('open', () => {
      upstreamSocket.removeListener('unexpected-response', refuse);
      upstreamSocket.removeListener('error', refuse);
      this.#server.handleUpgrade(request, socket, head, (client) => {
        this.#join(client, upstreamSocket, caller, path);
      });
    });
  }

  /** Ends every open socket (the gateway is closing). */
  close(): void {
    for (const socket of this.#open) socket.terminate();
    this.#server.close();
  }

  #join(client: WebSocket, upstreamSocket: WebSocket, caller: VerifiedCaller, path: string): void {
    const { registry, ledger, now, elapsedMs } = this.#context;
    this.#open.add(client);
    const pending: PendingAnswer[] = [];
    // Frames are checked one after another so that they reach the upstream in the order sent.
    let queue = Promise.resolve();

    const record = (answer: PendingAnswer, verdict: string, status: number): void => {
      ledger.add({
        at: new Date(answer.arrivedAt).toISOString(),
        transport: 'ws',
        path,
        agentRuntimeId: caller.agentRuntimeId,
        taskId: caller.taskId,
        verified: true,
        verdict,
        status,
        latencyMs: elapsedMs() - answer.startedMs,
        bytesIn: answer.bytesIn,
        bytesOut: answer.bytesOut,
      });
    };

    client.on('message', (data, isBinary) => {
      const answer: PendingAnswer = {
        arrivedAt: now(),
        startedMs: elapsedMs(),
        bytesIn: byteLength(data),
        bytesOut: 0,
      };
      queue = queue.then(async () => {
        let refusal: string | undefined;
        try {
          refusal = await revocationCode(registry, caller);
        } catch {
          refusal = 'registry_unavailable';
        }
        if (refusal !== undefined) {
          record(answer, refusal, 101);
          const code = refusal === 'registry_unavailable' ? 1013 : CREDENTIALS_REVOKED_CLOSE_CODE;
          passClose(client, code, Buffer.from(refusal));
          upstreamSocket.close(1000);
          return;
        }
        if (upstreamSocket.readyState !== WebSocket.OPEN) return;
        pending.push(answer);
        upstreamSocket.send(data, { binary: isBinary });
      });
    });
    upstreamSocket.on('message', (data, isBinary) => {
      const current = pending[0];
      if (current !== undefined) current.bytesOut += byteLength(data);
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
      const type = eventType(data, isBinary);
      if (current !== undefined && type !== undefined && TERMINAL_EVENTS.has(type)) {
        pending.shift();
        record(current, 'accepted', 101);
      }
    });
    client.on('close', (code, reason) => {
      this.#open.delete(client);
      passClose(upstreamSocket, code, reason);
    });
    upstreamSocket.on('close', (code, reason) => {
      passClose(client, code, reason);
    });
    client.on('error', () => {
      client.terminate();
    });
    upstreamSocket.on('error', () => {
      upstreamSocket.terminate();
    });
  }
}
