import { encodeSseEvent, ResponsesRequest } from '@agent-identity/protocol';
import { admitDownstream } from './downstream-acceptance.js';
import { echoAnswerEvents } from './echo-answer.js';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { readBodyAs } from './request-body.js';

/**
 * `POST {base}/v1/responses` (SPEC §3.8): authorized by `Bearer` or `AgentAssertion`, answered as a
 * `text/event-stream` of the Responses API events, the text naming the caller it saw.
 */
export async function handleResponses(exchange: HttpExchange): Promise<void> {
  const { context, response } = exchange;
  const authorization = await admitDownstream(exchange.request, 'http', context);
  if (!authorization.ok) throw new HttpError(401, authorization.code, authorization.message);
  const body = await readBodyAs(exchange, ResponsesRequest);
  const events = echoAnswerEvents(body, authorization.caller, context, exchange.failResponse);
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  for (const event of events) response.write(encodeSseEvent(event));
  response.end();
}
