import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { VerifiedCaller } from './gateway-authorization.js';

// RFC 9110 §7.6.1: these describe one connection, not the message, and a proxy never forwards them.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

// The caller's credentials speak for the agent; upstream, the gateway speaks with its own. The
// current profile's ChatGPT-Account-ID names the agent's account, not the gateway credential's.
const CALLER_CREDENTIALS = new Set(['authorization', 'chatgpt-account-id']);

// The WebSocket client of the gateway makes its own handshake.
const WEBSOCKET_HANDSHAKE = /^sec-websocket-/;

/** The headers the gateway sets upstream: who called, as it verified them. */
export const AGENT_RUNTIME_ID_HEADER = 'x-agent-runtime-id';
export const AGENT_TASK_ID_HEADER = 'x-agent-task-id';

function connectionTokens(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  return new Set((value ?? '').split(',').map((token) => token.trim().toLowerCase()));
}

function withoutHopByHop(headers: IncomingHttpHeaders, drop: (name: string) => boolean): OutgoingHttpHeaders {
  const named = connectionTokens(headers);
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || drop(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/**
 * A verified request's headers as the upstream gets them: the hop-by-hop ones and the caller's
 * credentials dropped, the gateway's credential and the verified agent and task added.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  credential: string,
  caller: VerifiedCaller,
  transport: 'http' | 'ws',
): OutgoingHttpHeaders {
  const kept = withoutHopByHop(
    headers,
    (name) => CALLER_CREDENTIALS.has(name) || (transport === 'ws' && WEBSOCKET_HANDSHAKE.test(name)),
  );
  return {
    ...kept,
    authorization: credential,
    [AGENT_RUNTIME_ID_HEADER]: caller.agentRuntimeId,
    [AGENT_TASK_ID_HEADER]: caller.taskId,
  };
}

/** The upstream's answer headers as the client gets them: all but the hop-by-hop ones. */
export function downstreamResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return withoutHopByHop(headers, () => false);
}
