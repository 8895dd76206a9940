/**
 * Waits until `start`'s `wake` is called, or rejects with the signal's reason when `signal`
 * aborts. `start` sets up whatever wakes the waiter (a listener, a watcher, a timer) and returns
 * the function that tears it down; teardown runs exactly once, whichever way the wait ends, so an
 * aborted wait never leaves a watcher or timer behind.
 */
export function abortableWait(signal: AbortSignal, start: (wake: () => void) => () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const state: { settled: boolean; teardown?: () => void } = { settled: false };
    const settle = (finish: () => void): void => {
      if (state.settled) return;
      state.settled = true;
      signal.removeEventListener('abort', onAbort);
      state.teardown?.();
      finish();
    };
    const onAbort = (): void => {
      settle(() => {
        reject(abortReason(signal));
      });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const stop = start(() => {
      settle(resolve);
    });
    // `wake` may have run synchronously inside `start`: tear down what `start` just set up.
    if (state.settled) stop();
    else state.teardown = stop;
  });
}

/** The reason `abort(reason)` was given; an `AbortError` `DOMException` when none was. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason as Error;
}
