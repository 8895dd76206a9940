import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './faults.js';
import { GARBAGE_TEXT } from './garbage.js';
import type { HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';
import { statusFaultAnswer } from './status-fault-body.js';

/** `answered`: the fault took the call over; `proceed`: handle the call (after a delay, perhaps). */
export type FaultOutcome = 'answered' | 'proceed';

/** Plays one fault on an HTTP call (README "Fault injection"). */
export async function applyHttpFault(
  fault: Fault,
  exchange: HttpExchange,
  eventStream: boolean,
): Promise<FaultOutcome> {
  const { request, response } = exchange;
  switch (fault.kind) {
    case 'status': {
      const { body, headers } = statusFaultAnswer(fault);
      response.writeHead(fault.status, { ...headers, 'content-length': Buffer.byteLength(body) });
      response.end(body);
      return 'answered';
    }
    case 'delay':
      try {
        await sleep(fault.delayMs, undefined, { signal: exchange.context.closing });
      } catch {
        return 'answered'; // the backend is closing; its sockets are being destroyed
      }
      return 'proceed';
    case 'hang':
      // Read (and drop) the body so the request counts as received: only the answer never comes.
      request.resume();
      return 'answered';
    case 'garbage':
      response.writeHead(200, { 'content-type': eventStream ? 'text/event-stream' : 'application/json' });
      response.end(eventStream ? `event: response.created\ndata: ${GARBAGE_TEXT}\n\n` : GARBAGE_TEXT);
      return 'answered';
    case 'missing_biscuit':
      sendJson(response, 200, {});
      return 'answered';
    case 'reset':
      request.socket.destroy();
      return 'answered';
    case 'tamper_sealed_box':
      exchange.tamperSealedBox = true;
      return 'proceed';
    case 'response_failed':
      exchange.failResponse = true;
      return 'proceed';
  }
}
