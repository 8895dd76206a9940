import { isClockSkewRefusal } from '@agent-identity/protocol';
import { CoreError } from '../runtime/errors.js';

/**
 * The task-registration refusals that mean the stored record cannot work at this backend, each a
 * status **and** an `error.code` as the reference backend answers: 404 `unknown_agent` (the agent
 * was revoked, or the backend never saw it), 403 `forbidden` (the runtime id is another user's
 * agent) and 401 `bad_signature` (the record's key is not the one registered for its runtime id).
 * Both are required because what follows is destructive (the stored identity is replaced): a
 * misconfigured base URL, a proxy or a route the server lacks answer these statuses too, but never
 * with those codes.
 */
const UNUSABLE_IDENTITY_REJECTIONS: ReadonlyMap<number, string> = new Map([
  [404, 'unknown_agent'],
  [403, 'forbidden'],
  [401, 'bad_signature'],
]);

/**
 * Whether a task registration was refused because the stored identity is unusable there (see
 * `UNUSABLE_IDENTITY_REJECTIONS`): the record is replaced, once. A biscuit or
 * identity-registration failure never counts, whatever it says.
 */
export function isUnusableIdentityRejection(error: unknown): error is CoreError {
  return (
    CoreError.isInstance(error) &&
    error.code === 'TASK_REGISTRATION_REJECTED' &&
    error.status !== undefined &&
    error.responseErrorCode !== undefined &&
    UNUSABLE_IDENTITY_REJECTIONS.get(error.status) === error.responseErrorCode
  );
}

/**
 * Whether a task registration was refused because its signed timestamp was outside the backend's
 * window: status 401 and `error.code` `expired` or `from_future` (the reference backend's answer,
 * and the codes of SPEC §3.8: protocol's `isClockSkewRefusal`, the rule the downstream adapters
 * use too). The retry it allows is also conditioned on the clock correction having changed
 * (`BackendClock`), so a window rejection on a clock that agrees is not retried.
 */
export function isTimeWindowRejection(error: unknown): error is CoreError {
  return (
    CoreError.isInstance(error) &&
    error.code === 'TASK_REGISTRATION_REJECTED' &&
    error.status === 401 &&
    isClockSkewRefusal(error.responseErrorCode)
  );
}
