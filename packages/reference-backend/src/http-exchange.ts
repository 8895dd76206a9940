import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendContext } from './backend-context.js';

/** One HTTP request being handled. */
export interface HttpExchange {
  request: IncomingMessage;
  response: ServerResponse;
  /** The absolute URL the request arrived at: `http://{Host}{path}` (what a biscuit names). */
  url: URL;
  /** Decoded path parameters of the route, in order. */
  params: readonly string[];
  context: BackendContext;
  /** Set by the `tamper_sealed_box` fault for this call. */
  tamperSealedBox: boolean;
  /** Set by the `response_failed` fault: the event stream ends in `response.failed` (SPEC §3.8). */
  failResponse: boolean;
}

/** The value of a request header sent once; a repeated header counts as absent. */
export function singleHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}
