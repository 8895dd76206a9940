import { ResponseStreamError } from './errors.js';
import { ResponseStreamEvent } from './responses-events.js';

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(
  ResponseStreamEvent.def.options.flatMap((option) => option.shape.type.def.values),
);

/**
 * One event of a Responses stream (SPEC §3.8) from its JSON text (an SSE `data:` payload or a
 * WebSocket text frame). `undefined` for event types a client need not understand — the real API
 * sends many more — so that they are skipped; unknown fields pass through. Throws
 * `RESPONSE_EVENT_INVALID` for text that is not a JSON event object, or a known event that lacks
 * what a client reads from it (a delta without its `delta` string, …).
 */
export function decodeResponseStreamEvent(json: string): ResponseStreamEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ResponseStreamError('RESPONSE_EVENT_INVALID', 'the model endpoint sent an event that is not JSON');
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') {
    throw new ResponseStreamError(
      'RESPONSE_EVENT_INVALID',
      'the model endpoint sent an event that is not an object with a string "type"',
    );
  }
  if (!KNOWN_EVENT_TYPES.has(type)) return undefined;
  const event = ResponseStreamEvent.safeParse(value);
  if (event.success) return event.data;
  throw new ResponseStreamError('RESPONSE_EVENT_INVALID', `the model endpoint sent an invalid ${type} event`);
}
