import type { ApiBridgeError } from './api-bridge-error.js';

/**
 * Why a refusal the wrapper heals reached the caller unrecovered. Kept beside the response rather
 * than on it: the `Response` the caller gets is exactly the one `fetch` returned.
 */
const recoveryErrors = new WeakMap<Response, ApiBridgeError>();

/** Records why `response` is handed back without a (successful) recovery. */
export function markUnrecovered(response: Response, error: ApiBridgeError): void {
  recoveryErrors.set(response, error);
}

/**
 * For a 401 that `createAgentFetch`'s function set out to recover (a code a new task or a corrected
 * clock heals) and handed back: why it did not (`BODY_NOT_REPLAYABLE`, `TASK_REGISTRATION_FAILED`,
 * `REFUSED_AFTER_RETRY`). `undefined` for every other response.
 */
export function recoveryErrorOf(response: Response): ApiBridgeError | undefined {
  return recoveryErrors.get(response);
}
