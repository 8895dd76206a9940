import * as z from 'zod/mini';
import { AgentIdentityError } from './errors.js';

/**
 * RFC 3339 UTC timestamps in the two precisions the protocol uses (SPEC §3.1): seconds in
 * signatures, request bodies and `registered_at`; milliseconds in rollout line timestamps.
 */

// RFC 3339 years have four digits: 0000-01-01T00:00:00.000Z … 9999-12-31T23:59:59.999Z.
const MIN_EPOCH_MS = -62_167_219_200_000;
const MAX_EPOCH_MS = 253_402_300_799_999;

function toIsoString(epochMs: number): string {
  // Floor (not Date's truncation toward zero) so that a time is never formatted as a later one.
  const wholeMs = Math.floor(epochMs);
  if (!(wholeMs >= MIN_EPOCH_MS && wholeMs <= MAX_EPOCH_MS)) {
    throw new AgentIdentityError(
      'TIMESTAMP_OUT_OF_RANGE',
      `time ${String(epochMs)} is not a finite epoch millisecond count in years 0000-9999`,
    );
  }
  return new Date(wholeMs).toISOString();
}

/** `2026-03-23T12:00:00Z`: truncated to the second, never rounded up. */
export function formatSecondsTimestamp(epochMs: number): string {
  return `${toIsoString(epochMs).slice(0, 19)}Z`;
}

/** `2026-04-19T22:45:29.001Z`: the rollout line timestamp format. */
export function formatMillisTimestamp(epochMs: number): string {
  return toIsoString(epochMs);
}

const SECONDS_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Epoch milliseconds of exactly `YYYY-MM-DDTHH:MM:SSZ` naming a real calendar date and time, or
 * `undefined`. No offsets, fractions, lowercase `t`/`z` or leap second `:60`: the form Codex and
 * this library write, and the only one a signature may cover.
 */
export function parseSecondsTimestamp(text: string): number | undefined {
  if (!SECONDS_TIMESTAMP_PATTERN.test(text)) return undefined;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const hour = Number(text.slice(11, 13));
  const minute = Number(text.slice(14, 16));
  const second = Number(text.slice(17, 19));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const midnight = new Date(0).setUTCFullYear(year, month - 1, day);
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** A string in `YYYY-MM-DDTHH:MM:SSZ` form naming a real UTC date and time. */
export const SecondsTimestamp = z.string().check(
  z.refine((text) => parseSecondsTimestamp(text) !== undefined, {
    error: 'must be an RFC 3339 UTC timestamp to the second (YYYY-MM-DDTHH:MM:SSZ)',
  }),
);
export type SecondsTimestamp = z.infer<typeof SecondsTimestamp>;
