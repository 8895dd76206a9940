import { isClockSkewRefusal } from '@agent-identity/protocol';
import { CoreError } from './errors.js';

/**
 * Whether a task registration was refused because the backend does not know the agent (revoked,
 * or a backend that never saw it): status 404 **and** the JSON body's `error.code` is
 * `unknown_agent`, as the reference backend answers. Both are required because what follows is
 * destructive (the stored identity is deleted): a misconfigured base URL, a proxy or a route the
 * server lacks also answer 404, but never with that code. A biscuit or identity-registration
 * failure never counts, whatever it says.
 */
export function isUnknownAgentRejection(error: unknown): boolean {
  return (
    CoreError.isInstance(error) &&
    error.code === 'TASK_REGISTRATION_REJECTED' &&
    error.status === 404 &&
    error.responseErrorCode === 'unknown_agent'
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
