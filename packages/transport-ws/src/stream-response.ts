import { WebSocket, type RawData } from 'ws';
import {
  ResponseStreamError,
  ResponseTextAccumulator,
  type ResponsesInput,
  type ResponseStreamEvent,
} from '@agent-identity/protocol';
import { parseResponseFrame, responseFailure } from './response-frame.js';
import { displayUrl, TransportWsError } from './transport-ws-error.js';

/** The fields of a `response.create` frame (SPEC §3.8) other than `type`; more fields pass through. */
export interface ResponseRequest {
  readonly model: string;
  readonly input: ResponsesInput;
  readonly type?: never;
  readonly [field: string]: unknown;
}

// The Responses WebSocket protocol does not say which response a frame belongs to.
const socketsInUse = new WeakSet<WebSocket>();

/**
 * One Responses turn over an open socket (SPEC §3.8): sends `response.create` when iteration
 * starts, yields each event as its frame arrives (event types a client need not understand are
 * skipped), and finishes after `response.completed` (yielded too). Protocol's
 * `ResponseTextAccumulator` decides where the turn ends: `response.failed`, `response.incomplete`
 * and an `error` event throw `RESPONSE_ERROR` with the server's message; fold the yielded events
 * with one of your own to get the turn's text.
 */
export async function* streamResponse(
  socket: WebSocket,
  request: ResponseRequest,
): AsyncGenerator<ResponseStreamEvent, void, undefined> {
  const url = displayUrl(socket.url);
  if (socketsInUse.has(socket)) {
    throw new TransportWsError('SOCKET_BUSY', `WebSocket ${url}: another response is still streaming on this socket`, {
      url,
    });
  }
  if (socket.readyState !== WebSocket.OPEN) {
    throw new TransportWsError('SOCKET_CLOSED', `WebSocket ${url}: the socket is not open`, { url, isRetryable: true });
  }
  socketsInUse.add(socket);
  const inbox = new FrameInbox(socket, url);
  const answer = new ResponseTextAccumulator();
  try {
    socket.send(JSON.stringify({ type: 'response.create', ...request }));
    for (;;) {
      const event = parseResponseFrame(await inbox.next(), url);
      if (event === undefined) continue;
      const completed = foldEvent(answer, event, url);
      yield event;
      if (completed) return;
    }
  } finally {
    inbox.dispose();
    socketsInUse.delete(socket);
  }
}

/** `true` once the event completed the turn; a turn the server failed throws `RESPONSE_ERROR`. */
function foldEvent(answer: ResponseTextAccumulator, event: ResponseStreamEvent, url: string): boolean {
  try {
    return answer.add(event);
  } catch (error) {
    throw ResponseStreamError.isInstance(error) ? responseFailure(error, url) : error;
  }
}

type Delivery = { readonly text: string } | { readonly error: TransportWsError };

/** The socket's frames and its close, buffered in arrival order until the stream asks for them. */
class FrameInbox {
  readonly #socket: WebSocket;
  readonly #url: string;
  readonly #queued: Delivery[] = [];
  #waiting: ((delivery: Delivery) => void) | undefined;
  #failure: Error | undefined;

  constructor(socket: WebSocket, url: string) {
    this.#socket = socket;
    this.#url = url;
    socket.on('message', this.#onMessage);
    socket.on('close', this.#onClose);
    socket.on('error', this.#onError);
  }

  /** The next frame's text; rejects with `SOCKET_CLOSED` once the socket closed, `EVENT_INVALID` for binary. */
  async next(): Promise<string> {
    const delivery = this.#queued.shift() ?? (await new Promise<Delivery>((resolve) => (this.#waiting = resolve)));
    if ('error' in delivery) throw delivery.error;
    return delivery.text;
  }

  dispose(): void {
    this.#socket.off('message', this.#onMessage);
    this.#socket.off('close', this.#onClose);
    this.#socket.off('error', this.#onError);
  }

  #deliver(delivery: Delivery): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) this.#queued.push(delivery);
    else waiting(delivery);
  }

  readonly #onMessage = (data: RawData, isBinary: boolean): void => {
    if (isBinary) {
      const error = new TransportWsError(
        'EVENT_INVALID',
        `WebSocket ${this.#url}: a binary frame, expected a text event`,
        { url: this.#url },
      );
      this.#deliver({ error });
      return;
    }
    this.#deliver({ text: frameText(data) });
  };

  readonly #onClose = (code: number, reason: Buffer): void => {
    this.#deliver({ error: socketClosed(this.#url, code, reason.toString('utf8'), this.#failure) });
  };

  // The close that follows reports it; without a listener `ws` would throw it.
  readonly #onError = (error: Error): void => {
    this.#failure = error;
  };
}

function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

function socketClosed(url: string, closeCode: number, closeReason: string, cause: Error | undefined): TransportWsError {
  const why = closeReason === '' ? '' : ` (${closeReason})`;
  return new TransportWsError(
    'SOCKET_CLOSED',
    `WebSocket ${url}: closed with code ${closeCode}${why} before the response completed`,
    {
      url,
      closeCode,
      closeReason,
      cause,
      isRetryable: true,
    },
  );
}
