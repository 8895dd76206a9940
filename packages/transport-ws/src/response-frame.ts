import { decodeResponseStreamEvent, ResponseStreamError, type ResponseStreamEvent } from '@agent-identity/protocol';
import { TransportWsError } from './transport-ws-error.js';

/**
 * One text frame of a Responses turn (SPEC §3.8), decoded by protocol's liberal reader: a stream
 * event, or `undefined` for an event type a client need not understand (skipped). A frame that is
 * not an event, or a known event without what a client reads from it, is `EVENT_INVALID`.
 */
export function parseResponseFrame(text: string, url: string): ResponseStreamEvent | undefined {
  try {
    return decodeResponseStreamEvent(text);
  } catch (error) {
    if (!ResponseStreamError.isInstance(error)) throw error;
    throw new TransportWsError('EVENT_INVALID', `WebSocket ${url}: ${error.message}`, { url, cause: error });
  }
}

/**
 * A turn the server ended without an answer (`response.failed`, `response.incomplete`, an `error`
 * event) as `RESPONSE_ERROR`, with the server's message and its code as `reason`.
 */
export function responseFailure(error: ResponseStreamError, url: string): TransportWsError {
  return new TransportWsError('RESPONSE_ERROR', `WebSocket ${url}: ${error.message}`, {
    url,
    reason: error.serverCode,
    cause: error,
  });
}
