/**
 * Whether `fetch` can send `body` a second time: it re-reads strings, bytes (copied at each
 * send), `URLSearchParams`, `Blob`s and `FormData`, but a `ReadableStream` or an async iterable is
 * drained by the first send. Anything not known to be replayable counts as one-shot.
 */
export function isReplayableBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof FormData
  );
}

/**
 * The body `fetch(input, init)` sends: `init.body` when given, else a `Request` input's own body
 * (always a one-shot stream once set), else none.
 */
export function requestBody(input: string | URL | Request, init: RequestInit | undefined): unknown {
  if (init?.body !== undefined) return init.body;
  return input instanceof Request ? input.body : undefined;
}
