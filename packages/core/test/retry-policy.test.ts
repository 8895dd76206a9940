import { describe, expect, it } from 'vitest';
import { CoreError } from '../src/runtime/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
  resolveRetryPolicy,
  retryDelayMs,
} from '../src/backend/retry-policy.js';

const NOW_MS = Date.UTC(2026, 3, 19, 12, 0, 0);
const retryable = new CoreError('TASK_REGISTRATION_REJECTED', 'x', { status: 503, isRetryable: true });
const notRetryable = new CoreError('TASK_REGISTRATION_REJECTED', 'x', { status: 400, isRetryable: false });

describe('retryable failures', () => {
  it('429 and 5xx are retryable; other statuses are not', () => {
    expect([429, 500, 502, 503, 504, 599].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('3', NOW_MS)).toBe(3_000);
    expect(parseRetryAfterMs(' 0 ', NOW_MS)).toBe(0);
    expect(parseRetryAfterMs(new Date(NOW_MS + 7_000).toUTCString(), NOW_MS)).toBe(7_000);
  });

  it('a date in the past is 0; garbage and absence are undefined', () => {
    expect(parseRetryAfterMs(new Date(NOW_MS - 7_000).toUTCString(), NOW_MS)).toBe(0);
    expect(parseRetryAfterMs('soon', NOW_MS)).toBeUndefined();
    expect(parseRetryAfterMs('-1', NOW_MS)).toBeUndefined();
    expect(parseRetryAfterMs('1.5', NOW_MS)).toBeUndefined();
    expect(parseRetryAfterMs(null, NOW_MS)).toBeUndefined();
  });
});

describe('retryDelayMs (full jitter)', () => {
  const policy = resolveRetryPolicy({});

  it('defaults to 3 attempts, 200 ms base, 5 s cap', () => {
    expect(policy).toEqual(DEFAULT_RETRY_POLICY);
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 });
  });

  it('is uniform below a ceiling that doubles per attempt', () => {
    expect(retryDelayMs(policy, 1, retryable, 0)).toBe(0);
    expect(retryDelayMs(policy, 1, retryable, 0.5)).toBe(100);
    expect(retryDelayMs(policy, 2, retryable, 0.5)).toBe(200);
    expect(retryDelayMs(policy, 1, retryable, 0.999_999)).toBe(199);
  });

  it('the ceiling stops at maxDelayMs', () => {
    const many = resolveRetryPolicy({ maxAttempts: 20 });
    expect(retryDelayMs(many, 10, retryable, 0.5)).toBe(2_500);
  });

  it('gives up after maxAttempts, and at once for non-retryable errors', () => {
    expect(retryDelayMs(policy, 3, retryable, 0.5)).toBeUndefined();
    expect(retryDelayMs(policy, 1, notRetryable, 0.5)).toBeUndefined();
    expect(retryDelayMs(policy, 1, new Error('not ours'), 0.5)).toBeUndefined();
  });

  it('honours Retry-After up to maxDelayMs, and gives up beyond it', () => {
    const asked = (retryAfterMs: number) =>
      new CoreError('TASK_REGISTRATION_REJECTED', 'x', { status: 429, isRetryable: true, retryAfterMs });
    expect(retryDelayMs(policy, 1, asked(1_000), 0)).toBe(1_000);
    expect(retryDelayMs(policy, 1, asked(5_000), 0)).toBe(5_000);
    expect(retryDelayMs(policy, 1, asked(5_001), 0)).toBeUndefined();
  });

  it('rejects nonsense settings', () => {
    for (const nonsense of [{ maxAttempts: 0 }, { baseDelayMs: -1 }, { maxDelayMs: Number.NaN }]) {
      expect(() => resolveRetryPolicy(nonsense)).toThrow(expect.objectContaining({ code: 'OPTIONS_INVALID' }));
    }
  });
});
