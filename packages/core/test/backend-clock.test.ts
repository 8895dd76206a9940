import { describe, expect, it } from 'vitest';
import { BackendClock } from '../src/backend/backend-clock.js';
import { CapturingLogger } from '../src/testing/capturing-logger.js';

const LOCAL_MS = Date.UTC(2026, 3, 19, 22, 45, 28, 0);
const MINUTE_MS = 60_000;

/** A clock whose local time is fixed at `LOCAL_MS`, and the logger it reports to. */
function clockAt(enabled = true) {
  const logger = new CapturingLogger();
  return { clock: new BackendClock({ now: () => LOCAL_MS, enabled, logger }), logger };
}

/** The `Date` header of a backend whose clock reads `backendMs` (cut to the second, as HTTP does). */
function dateHeader(backendMs: number): string {
  return new Date(backendMs).toUTCString();
}

/** One response: sent at `LOCAL_MS`, answered `roundTripMs` later, while the backend read `backendMs`. */
function observe(clock: BackendClock, backendMs: number, roundTripMs = 0): void {
  clock.observe(dateHeader(backendMs), LOCAL_MS, LOCAL_MS + roundTripMs);
}

describe('BackendClock (beyond Codex: clock skew correction)', () => {
  it('measures against the midpoint of the request, reading the header as the middle of its second', () => {
    const { clock } = clockAt();
    // the backend wrote its headers 1 s into a 2 s round trip, at local + 10 min
    observe(clock, LOCAL_MS + 1_000 + 10 * MINUTE_MS, 2_000);
    expect(clock.offsetMs).toBe(10 * MINUTE_MS + 500);
    expect(clock.now()).toBe(LOCAL_MS + clock.offsetMs);
  });

  it('corrects a clock behind or ahead, and logs (info) the first correction only', () => {
    const { clock, logger } = clockAt();
    observe(clock, LOCAL_MS - 10 * MINUTE_MS);
    expect(clock.offsetMs).toBe(-10 * MINUTE_MS + 500);
    observe(clock, LOCAL_MS + 10 * MINUTE_MS);
    expect(clock.offsetMs).toBe(10 * MINUTE_MS + 500);
    expect(logger.at('info')).toEqual([
      {
        level: 'info',
        message: "agent identity: the local clock is off the backend's; signing with the backend's time",
        fields: { offsetMs: -10 * MINUTE_MS + 500 },
      },
    ]);
  });

  it('leaves a skew within 30 s alone', () => {
    const { clock, logger } = clockAt();
    observe(clock, LOCAL_MS + 29_000);
    observe(clock, LOCAL_MS - 30_000);
    expect(clock.offsetMs).toBe(0);
    expect(logger.lines).toEqual([]);
  });

  it('the latest measurement wins (unless within 1 s of the offset in force); one within 30 s lifts the correction', () => {
    const { clock } = clockAt();
    observe(clock, LOCAL_MS + 6 * MINUTE_MS);
    observe(clock, LOCAL_MS + 7 * MINUTE_MS);
    expect(clock.offsetMs).toBe(7 * MINUTE_MS + 500);
    observe(clock, LOCAL_MS + 7 * MINUTE_MS, 1_900); // the same skew, seen through a slow round trip
    expect(clock.offsetMs).toBe(7 * MINUTE_MS + 500);
    observe(clock, LOCAL_MS + 7 * MINUTE_MS + 3_000);
    expect(clock.offsetMs).toBe(7 * MINUTE_MS + 3_500);
    observe(clock, LOCAL_MS + 2_000);
    expect(clock.offsetMs).toBe(0);
  });

  it('ignores a measurement more than 15 min off (warned once), keeping the offset it had', () => {
    const { clock, logger } = clockAt();
    observe(clock, LOCAL_MS + 10 * MINUTE_MS);
    observe(clock, LOCAL_MS + 16 * MINUTE_MS);
    observe(clock, LOCAL_MS + 23 * 60 * MINUTE_MS);
    clock.observe('Sat, 01 Jan 2000 00:00:00 GMT', LOCAL_MS, LOCAL_MS);
    expect(clock.offsetMs).toBe(10 * MINUTE_MS + 500);
    expect(logger.at('warn')).toEqual([
      {
        level: 'warn',
        message: 'agent identity: ignoring a backend Date header more than 15 min off the local clock',
        fields: { date: dateHeader(LOCAL_MS + 16 * MINUTE_MS), skewMs: 16 * MINUTE_MS + 500 },
      },
    ]);
  });

  it('ignores a missing or unreadable Date header', () => {
    const { clock, logger } = clockAt();
    clock.observe(null, LOCAL_MS, LOCAL_MS);
    clock.observe('not a date', LOCAL_MS, LOCAL_MS);
    expect(clock.offsetMs).toBe(0);
    expect(logger.lines).toEqual([]);
  });

  it('off: learns nothing, the backend clock is the local one', () => {
    const { clock } = clockAt(false);
    observe(clock, LOCAL_MS + 10 * MINUTE_MS);
    expect(clock.offsetMs).toBe(0);
    expect(clock.now()).toBe(LOCAL_MS);
  });
});
