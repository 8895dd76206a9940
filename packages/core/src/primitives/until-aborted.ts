/** What a caller who waits may pass: aborting `signal` ends the wait, as it ends a `fetch`. */
export interface AbortOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * `work`, or a rejection with the signal's reason (an `AbortError` `DOMException` unless `abort()`
 * was given one) as soon as `signal` aborts — whichever comes first. Only the caller stops waiting:
 * work others may share (a single-flight identity registration, a lock) goes on and is what the
 * next caller finds. A rejection of `work` after the abort is nobody's to handle, so it is dropped.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
      })
      .then(resolve, reject);
  });
}
