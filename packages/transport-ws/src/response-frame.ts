import { ResponseStreamEvent } from '@agent-identity/protocol';
import { z } from 'zod';
import { TransportWsError } from './transport-ws-error.js';

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(ResponseStreamEvent.options.map((option) => option.shape.type.value));

const EventEnvelope = z.looseObject({ type: z.string() });
const ErrorFrame = z.looseObject({ error: z.looseObject({ code: z.string() }) });

/**
 * One text frame of a Responses turn (SPEC §3.8): a stream event, or `undefined` for an event type
 * this library does not model (the real API sends more kinds; runtimes skip them). An `error`
 * frame and a frame that is not an event throw.
 */
export function parseResponseFrame(text: string, url: string): ResponseStreamEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidEvent(url, 'a frame is not JSON');
  }
  const envelope = EventEnvelope.safeParse(value);
  if (!envelope.success) throw invalidEvent(url, 'a frame is not an event object with a string "type"');
  const { type } = envelope.data;
  if (type === 'error') {
    const error = ErrorFrame.safeParse(value);
    const reason = error.success ? error.data.error.code : undefined;
    return throwResponseError(url, reason);
  }
  const event = ResponseStreamEvent.safeParse(value);
  if (event.success) return event.data;
  if (KNOWN_EVENT_TYPES.has(type)) throw invalidEvent(url, `a ${type} frame does not have that event's shape`);
  return undefined;
}

function invalidEvent(url: string, detail: string): TransportWsError {
  return new TransportWsError('EVENT_INVALID', `WebSocket ${url}: ${detail}`, { url });
}

function throwResponseError(url: string, reason: string | undefined): never {
  const because = reason === undefined ? '' : ` (${reason})`;
  throw new TransportWsError('RESPONSE_ERROR', `WebSocket ${url}: the server answered with an error${because}`, { url, reason });
}
