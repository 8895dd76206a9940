import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendContext } from './backend-context.js';
import { applyHttpFault } from './http-fault.js';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { errorBody, sendHttpError, sendJson } from './json-response.js';
import type { RouteTable } from './route-table.js';
import type { Endpoint } from './routes.js';

/** The absolute URL a request arrived at, from its Host header (what biscuits are minted for). */
function requestUrl(request: IncomingMessage): URL {
  const host = request.headers.host;
  const base = host === undefined || host === '' ? undefined : `http://${host}`;
  if (base === undefined || !URL.canParse(request.url ?? '/', base)) {
    throw new HttpError(400, 'invalid_request', 'request needs a Host header and a valid path');
  }
  return new URL(request.url ?? '/', base);
}

function decodeParams(params: readonly string[]): string[] {
  try {
    return params.map((param) => decodeURIComponent(param));
  } catch {
    throw new HttpError(400, 'invalid_request', 'path is not valid percent-encoding');
  }
}

function findEndpoint(
  routes: RouteTable,
  request: IncomingMessage,
  url: URL,
): { endpoint: Endpoint; params: string[]; route: string } {
  const match = routes.match(url.pathname);
  if (match === undefined) throw routes.notFound(url.pathname);
  const endpoint = match.route.methods[request.method ?? ''];
  if (endpoint === undefined) {
    const allow = Object.keys(match.route.methods).join(', ');
    throw new HttpError(405, 'method_not_allowed', `${request.method ?? ''} is not allowed here (allowed: ${allow})`, {
      allow,
    });
  }
  return { endpoint, params: decodeParams(match.params), route: match.route.path };
}

function answerFailure(response: ServerResponse, error: unknown): void {
  if (response.headersSent || response.destroyed) {
    response.destroy();
  } else if (error instanceof HttpError) {
    sendHttpError(response, error);
  } else {
    // Never the error itself: it could carry request content.
    sendJson(response, 500, errorBody('internal_error', 'the backend failed to handle the request'));
  }
}

/** The span of one HTTP request (README: *Telemetry*). */
export const REQUEST_SPAN = 'agent_identity.backend.request';

/**
 * The HTTP request listener: route, play a queued fault, handle. Every failure becomes a JSON
 * error answer; nothing a client sends can crash the server. Each request is one span carrying
 * its method, route template (never the path: it holds ids) and status.
 */
export function dispatch(
  request: IncomingMessage,
  response: ServerResponse,
  routes: RouteTable,
  context: BackendContext,
): Promise<void> {
  const attributes = { 'http.request.method': request.method ?? '' };
  return context.instrumentation.span(REQUEST_SPAN, attributes, async (span) => {
    await handleRequest(request, response, routes, context, (route) => {
      span.set({ 'http.route': route });
    });
    span.set({ 'http.response.status_code': response.statusCode });
  });
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  routes: RouteTable,
  context: BackendContext,
  onRoute: (route: string) => void,
): Promise<void> {
  try {
    const url = requestUrl(request);
    const { endpoint, params, route } = findEndpoint(routes, request, url);
    onRoute(route);
    const exchange: HttpExchange = {
      request,
      response,
      url,
      params,
      context,
      tamperSealedBox: false,
      failResponse: false,
    };
    const fault = endpoint.fault === undefined ? undefined : context.faults.take(endpoint.fault);
    if (fault !== undefined && endpoint.fault !== undefined) {
      context.counters.faultApplied(endpoint.fault);
      if ((await applyHttpFault(fault, exchange, endpoint.eventStream === true)) === 'answered') return;
    }
    await endpoint.handle(exchange);
  } catch (error) {
    answerFailure(response, error);
  }
}
