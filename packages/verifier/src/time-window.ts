import { reject, type Rejection } from './verification-result.js';

/**
 * The window check of assertions and task registrations (SPEC §3.6, §3.4). Signed times are whole seconds, so the clock is compared at second granularity:
 * a header signed anywhere within second `t` carries `t`. Exactly `windowSeconds` off is inside.
 */
export function checkTimeWindow(
  signedEpochMs: number,
  nowMs: number,
  windowSeconds: number,
): Rejection<'expired' | 'from_future'> | undefined {
  const differenceSeconds = (signedEpochMs - Math.floor(nowMs / 1000) * 1000) / 1000;
  if (differenceSeconds < -windowSeconds) {
    return reject('expired', `timestamp is ${-differenceSeconds} s old, more than the ${windowSeconds} s allowed`);
  }
  if (differenceSeconds > windowSeconds) {
    return reject('from_future', `timestamp is ${differenceSeconds} s ahead, more than the ${windowSeconds} s allowed`);
  }
  return undefined;
}
