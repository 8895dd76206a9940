import type { Fault } from './faults.js';
import { errorBody } from './json-response.js';

/** What a `status` fault answers, over HTTP and on a refused WebSocket handshake alike. */
export function statusFaultAnswer(fault: Extract<Fault, { kind: 'status' }>): {
  body: string;
  headers: Record<string, string>;
} {
  const retryAfter: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  if (typeof fault.body === 'string') {
    return { body: fault.body, headers: { ...retryAfter, 'content-type': 'text/plain; charset=utf-8' } };
  }
  const body = fault.body ?? errorBody('injected_fault', `injected fault: status ${fault.status}`);
  return { body: JSON.stringify(body), headers: { ...retryAfter, 'content-type': 'application/json' } };
}
