import type { AgentThread } from '@agent-identity/core';

/** The request as the caller gave it to the wrapper. */
export interface CallerRequest {
  readonly input: string | URL | Request;
  readonly init: RequestInit | undefined;
}

/**
 * Which thread a request belongs to, for one `fetch` (one SDK client) serving many threads:
 * `undefined` when none (the request is answered 400 `THREAD_NOT_CHOSEN`, never sent).
 */
export type ThreadChooser = (request: CallerRequest) => AgentThread | undefined | Promise<AgentThread | undefined>;

/**
 * The header that names a request's thread for {@link threadByIdHeader}. It is ours: the wrapper
 * removes it before the request leaves.
 */
export const AGENT_THREAD_ID_HEADER = 'x-agent-thread-id';

/**
 * The chooser that reads the thread id from the request's `x-agent-thread-id` header — set per
 * call with the SDK's request options (`{ headers: { 'x-agent-thread-id': thread.id } }`) — and
 * looks it up with `threadOf` (a `Map`'s `get`, say).
 */
export function threadByIdHeader(threadOf: (threadId: string) => AgentThread | undefined): ThreadChooser {
  return ({ input, init }) => {
    const threadId = requestHeaders({ input, init }).get(AGENT_THREAD_ID_HEADER);
    return threadId === null ? undefined : threadOf(threadId);
  };
}

/** The headers `fetch(input, init)` sends: `init.headers` when given, else a `Request` input's. */
export function requestHeaders({ input, init }: CallerRequest): Headers {
  return new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
}
