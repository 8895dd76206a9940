/**
 * Runs `fn` and returns its result as a promise; a synchronous throw becomes a rejection (like
 * `Promise.try`, which Node 20 lacks). Lets a port method that does no I/O keep the port's
 * "errors arrive as rejections" contract without an `async` that awaits nothing.
 */
export function promiseTry<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(fn());
  });
}
