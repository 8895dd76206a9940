import { abortableWait } from '../primitives/abortable-wait.js';
import { CoreError } from '../runtime/errors.js';
import { optionsInvalid } from '../runtime/option-checks.js';
import type { Timers } from '../runtime/timers.js';

/**
 * How backend calls are retried (beyond Codex, which never retries): bounded attempts, full
 * jitter, `Retry-After` honoured. Only failures that a later attempt can fix are retried —
 * transport errors (the timeout included), 429 and 5xx — never another 4xx, a parse error or an
 * undecryptable task id.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (1: never retry). Default 3. */
  readonly maxAttempts: number;
  /** The jitter ceiling of the first retry; it doubles with each attempt. Default 200. */
  readonly baseDelayMs: number;
  /**
   * The largest delay: the jitter ceiling stops growing here, and a `Retry-After` longer than
   * this is not waited for (the call fails at once; the next turn tries again). Default 5 000.
   */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

export function resolveRetryPolicy(options: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw optionsInvalid(`retry.maxAttempts must be an integer ≥ 1, got ${policy.maxAttempts}`);
  }
  for (const name of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(policy[name]) || policy[name] < 0) {
      throw optionsInvalid(`retry.${name} must be a finite number ≥ 0, got ${policy[name]}`);
    }
  }
  return policy;
}

/** 429 and 5xx: the server is overloaded or failing, a later attempt may succeed. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * A `Retry-After` value in milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3). A date in the past is 0; anything unreadable is `undefined`.
 */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs) || !/[A-Za-z]/.test(text)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

/**
 * The delay before the attempt after `failedAttempt` (1-based), or `undefined` to give up:
 * attempts exhausted, a failure that is not retryable, or a `Retry-After` beyond `maxDelayMs`.
 * `random01` is uniform in [0, 1).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  error: unknown,
  random01: number,
): number | undefined {
  if (failedAttempt >= policy.maxAttempts) return undefined;
  if (!CoreError.isInstance(error) || !error.isRetryable) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxDelayMs ? error.retryAfterMs : undefined;
  }
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(random01 * ceilingMs);
}

export interface RetryDependencies {
  readonly policy: RetryPolicy;
  readonly timers: Timers;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** Aborts a pending sleep (the runtime is closing). */
  readonly signal: AbortSignal;
  /** Told about each retry before its sleep (for logs). */
  readonly onRetry?: (failedAttempt: number, delayMs: number, error: unknown) => void;
}

/** Runs `attempt(1)`, `attempt(2)`, … until one succeeds or {@link retryDelayMs} gives up. */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  dependencies: RetryDependencies,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      const delayMs = retryDelayMs(dependencies.policy, attemptNumber, error, dependencies.random());
      if (delayMs === undefined || dependencies.signal.aborted) throw error;
      dependencies.onRetry?.(attemptNumber, delayMs, error);
      try {
        await sleep(dependencies.timers, delayMs, dependencies.signal);
      } catch {
        // closed while waiting: the failure the caller can act on is the call's, not the abort
        throw error;
      }
    }
  }
}

function sleep(timers: Timers, delayMs: number, signal: AbortSignal): Promise<void> {
  return abortableWait(signal, (wake) => {
    const handle = timers.setTimeout(wake, delayMs);
    return () => {
      timers.clearTimeout(handle);
    };
  });
}
