import type { Timers } from '@agent-identity/core';
import { DownstreamErrorBody, type DownstreamRejectionCode } from '@agent-identity/protocol';

/** A refusal body is under 200 bytes; reading stops well before a hostile one could hurt. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** How long a refusal body may take to arrive: a refusal is one small write. */
export const DEFAULT_REFUSAL_READ_TIMEOUT_MS = 5_000;

/** How {@link refusalCodeOf} reads: its deadline, and the request's signal. */
export interface RefusalReadOptions {
  readonly timeoutMs: number;
  readonly timers: Timers;
  /** The request's `AbortSignal`: aborting it rejects with its reason, as `fetch` would. */
  readonly signal: AbortSignal | undefined;
}

/**
 * The SPEC §3.8 code of a downstream refusal: for a 401 whose JSON body is
 * `{"error": {"code": "<one of the nine codes>", "message": …}}`, that code; else `undefined`.
 * Reads a clone, so `response`'s own body is left for the caller; an unreadable, oversized,
 * non-JSON or late body (a server that stalls mid-body) is no refusal. Every other status costs
 * nothing: the body is not touched. Rejects with the signal's reason when the request is aborted.
 */
export async function refusalCodeOf(
  response: Response,
  options: RefusalReadOptions,
): Promise<DownstreamRejectionCode | undefined> {
  if (response.status !== 401 || response.body === null) return undefined;
  const text = await readBoundedText(response.clone(), options);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const body = DownstreamErrorBody.safeParse(json);
  return body.success ? body.data.error.code : undefined;
}

/**
 * The body as UTF-8 text, or `undefined` if it is longer than the cap, fails mid-read or is not
 * whole by the deadline; rejects with the signal's reason once it aborts. Each read races the
 * deadline and the signal, so a server that stalls mid-body holds nobody.
 */
async function readBoundedText(response: Response, options: RefusalReadOptions): Promise<string | undefined> {
  const { timeoutMs, timers, signal } = options;
  signal?.throwIfAborted();
  const body = response.body;
  if (body === null) return '';
  // the fetch body stream yields bytes; its declared type is `any`
  const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
  let timer: unknown;
  let onAbort = (): void => undefined;
  const interrupted = new Promise<'late'>((resolve, reject) => {
    timer = timers.setTimeout(() => {
      resolve('late');
    }, timeoutMs);
    onAbort = () => {
      reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  interrupted.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let length = 0;
  let whole = false;
  try {
    for (;;) {
      const read = reader.read();
      read.catch(() => undefined);
      const result = await Promise.race([read, interrupted]);
      if (result === 'late') return undefined;
      if (result.done) {
        whole = true;
        return Buffer.concat(chunks, length).toString('utf8');
      }
      length += result.value.byteLength;
      if (length > MAX_ERROR_BODY_BYTES) return undefined;
      chunks.push(result.value);
    }
  } catch {
    signal?.throwIfAborted();
    return undefined;
  } finally {
    timers.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // not awaited: cancelling one branch of a clone settles only once the caller's branch ends
    if (!whole && signal?.aborted !== true) reader.cancel().catch(() => undefined);
  }
}

/** What `fetch` rejects with on abort: the signal's reason, an `AbortError` when none was given. */
function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
