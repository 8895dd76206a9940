import { CHATGPT_ACCOUNT_ID_HEADER, formatMillisTimestamp } from '@agent-identity/protocol';
import type { IncomingMessage } from 'node:http';
import type { BackendContext } from './backend-context.js';
import type { DownstreamTransport } from './counters.js';
import { authorizeDownstream, type DownstreamAuthorization } from './downstream-auth.js';

/**
 * Authorizes a downstream HTTP request or WebSocket handshake, and counts and logs the outcome
 * (accepted requests in the request log, rejections by code in the counters).
 */
export async function admitDownstream(
  request: IncomingMessage,
  transport: DownstreamTransport,
  context: BackendContext,
): Promise<DownstreamAuthorization> {
  const authorization = await authorizeDownstream(
    {
      authorization: request.headers.authorization,
      accountId: request.headers[CHATGPT_ACCOUNT_ID_HEADER.toLowerCase()],
    },
    context.users,
    context.verifier,
    context.registry,
  );
  if (!authorization.ok) {
    context.counters.downstreamRejected(transport, authorization.code);
    return authorization;
  }
  const { caller } = authorization;
  context.counters.downstreamAccepted(transport);
  context.requests.add({
    at: formatMillisTimestamp(context.options.now()),
    transport,
    path: new URL(request.url ?? '/', 'http://backend').pathname,
    auth: caller.auth,
    agentRuntimeId: caller.auth === 'agent_assertion' ? caller.agentRuntimeId : null,
    taskId: caller.auth === 'agent_assertion' ? caller.taskId : null,
    userId: caller.auth === 'bearer' ? caller.user.userId : null,
    accountIdHeader: request.headers[CHATGPT_ACCOUNT_ID_HEADER.toLowerCase()] !== undefined,
  });
  return authorization;
}
