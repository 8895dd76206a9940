import type { FetchFunction } from '@agent-identity/core';

/**
 * A `fetch` with at most `limit` exchanges in flight (request sent until the body is read); the
 * others wait their turn in call order. A runtime process with hundreds of threads talks to its
 * backend this way in a fleet (a bounded connection pool), instead of opening a socket per thread
 * at once: on a small shared host, a thousand sockets opened together make the backend time out
 * request headers (408), which no client retries.
 */
/** Statuses whose `Response` must not have a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function boundedFetch(
  limit: number,
  fetch: FetchFunction = (input, init) => globalThis.fetch(input, init),
): FetchFunction {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (inFlight < limit) {
      inFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) inFlight -= 1;
    else next();
  };
  return async (input, init) => {
    await acquire();
    try {
      const response = await fetch(input, init);
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      release();
    }
  };
}
