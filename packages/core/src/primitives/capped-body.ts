import type { Timers } from '../runtime/timers.js';

/**
 * What to do with a body longer than the cap: `'cut'` keeps its first `maxBytes` bytes (an error
 * body quoted in a message needs only its start); `'give-up'` answers `too-long` (a body that must
 * parse whole, such as a refusal's JSON, is worthless once cut).
 */
export type CappedBodyOverflow = 'cut' | 'give-up';

/** How {@link readCappedBody} reads. */
export interface CappedBodyOptions {
  /** The most bytes kept; a body of exactly this length is whole. */
  readonly maxBytes: number;
  readonly overflow: CappedBodyOverflow;
  /** Aborting it rejects the read with the signal's reason (an `AbortError` when none was given). */
  readonly signal?: AbortSignal | undefined;
  /**
   * How long the whole body may take; past it the read answers `late`. Without one the read waits
   * as long as the stream does (the caller's `fetch` signal is then what bounds it).
   */
  readonly deadline?: { readonly timeoutMs: number; readonly timers: Timers } | undefined;
}

/** How a capped read ended; only `whole` and `cut` carry text (UTF-8, a cut may split a character). */
export type CappedBody =
  | { readonly outcome: 'whole'; readonly text: string }
  | { readonly outcome: 'cut'; readonly text: string }
  | { readonly outcome: 'too-long' }
  | { readonly outcome: 'late' };

/**
 * Reads `response`'s body up to `maxBytes`. A body that is over the cap or late is cancelled, not
 * drained, so a hostile or stalled server costs at most the cap and the deadline. A stream error
 * rejects with that error, unless the signal has aborted, which rejects with its reason.
 */
export async function readCappedBody(response: Response, options: CappedBodyOptions): Promise<CappedBody> {
  const { maxBytes, overflow, signal, deadline } = options;
  signal?.throwIfAborted();
  const body = response.body;
  if (body === null) return { outcome: 'whole', text: '' };
  // the fetch body stream yields bytes; its declared type is `any`
  const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
  let timer: unknown;
  let onAbort = (): void => undefined;
  const interrupted = new Promise<'late'>((resolve, reject) => {
    if (deadline !== undefined) {
      timer = deadline.timers.setTimeout(() => {
        resolve('late');
      }, deadline.timeoutMs);
    }
    onAbort = () => {
      // what `fetch` rejects with: the reason given to `abort()`, else an `AbortError` DOMException
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  interrupted.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  try {
    for (;;) {
      const read = reader.read();
      read.catch(() => undefined);
      const result = await Promise.race([read, interrupted]);
      if (result === 'late') return { outcome: 'late' };
      if (result.done) {
        ended = true;
        return { outcome: 'whole', text: Buffer.concat(chunks, length).toString('utf8') };
      }
      const room = maxBytes - length;
      if (result.value.byteLength > room) {
        if (overflow === 'give-up') return { outcome: 'too-long' };
        chunks.push(result.value.subarray(0, room));
        return { outcome: 'cut', text: Buffer.concat(chunks, maxBytes).toString('utf8') };
      }
      chunks.push(result.value);
      length += result.value.byteLength;
    }
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  } finally {
    if (deadline !== undefined) deadline.timers.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // not awaited: cancelling one branch of a cloned body settles only once the other branch ends
    if (!ended && signal?.aborted !== true) reader.cancel().catch(() => undefined);
  }
}
