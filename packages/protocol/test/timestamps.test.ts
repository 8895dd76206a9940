import { describe, expect, it } from 'vitest';
import {
  AgentIdentityError,
  SecondsTimestamp,
  formatMillisTimestamp,
  formatSecondsTimestamp,
  parseSecondsTimestamp,
} from '../src/index.js';
import { thrownBy } from './thrown-by.js';

const noon = Date.UTC(2026, 2, 23, 12, 0, 0);

describe('formatSecondsTimestamp', () => {
  it('formats RFC 3339 UTC to the second with Z', () => {
    expect(formatSecondsTimestamp(noon)).toBe('2026-03-23T12:00:00Z');
  });

  it('truncates milliseconds instead of rounding up', () => {
    expect(formatSecondsTimestamp(noon + 999)).toBe('2026-03-23T12:00:00Z');
    expect(formatSecondsTimestamp(noon + 999.9)).toBe('2026-03-23T12:00:00Z');
  });

  it('floors fractional times before the epoch (never a later second)', () => {
    expect(formatSecondsTimestamp(-0.5)).toBe('1969-12-31T23:59:59Z');
  });

  it('throws TIMESTAMP_OUT_OF_RANGE for non-finite times and five-digit years', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1)]) {
      const error = thrownBy(() => formatSecondsTimestamp(bad));
      expect(AgentIdentityError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'TIMESTAMP_OUT_OF_RANGE' });
    }
  });
});

describe('formatMillisTimestamp', () => {
  it('formats with exactly three fraction digits', () => {
    expect(formatMillisTimestamp(Date.UTC(2026, 3, 19, 22, 45, 29, 1))).toBe('2026-04-19T22:45:29.001Z');
    expect(formatMillisTimestamp(Date.UTC(2026, 3, 19, 22, 45, 29, 0))).toBe('2026-04-19T22:45:29.000Z');
  });
});

describe('parseSecondsTimestamp', () => {
  it('parses the strict form to epoch milliseconds', () => {
    expect(parseSecondsTimestamp('2026-03-23T12:00:00Z')).toBe(noon);
    expect(parseSecondsTimestamp('2024-02-29T23:59:59Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
  });

  it('round-trips with formatSecondsTimestamp, including years below 100', () => {
    for (const text of [
      '0000-01-01T00:00:00Z',
      '0099-12-31T23:59:59Z',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
    ]) {
      const epochMs = parseSecondsTimestamp(text);
      expect(epochMs).toBeTypeOf('number');
      expect(formatSecondsTimestamp(epochMs!)).toBe(text);
    }
  });

  it('rejects other forms and impossible dates', () => {
    for (const text of [
      '2026-03-23T12:00:00.000Z',
      '2026-03-23T12:00:00+00:00',
      '2026-03-23 12:00:00Z',
      '2026-03-23t12:00:00z',
      '2026-03-23T12:00:00',
      ' 2026-03-23T12:00:00Z',
      '2026-03-23T12:00:00Z\n',
      '2026-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2016-12-31T23:59:60Z',
      '２０２６-01-01T00:00:00Z',
      '',
    ]) {
      expect(parseSecondsTimestamp(text), text).toBeUndefined();
    }
  });
});

describe('SecondsTimestamp', () => {
  it('accepts the strict form and rejects others with a message that does not quote the input', () => {
    expect(SecondsTimestamp.safeParse('2026-04-19T22:45:28Z').success).toBe(true);
    const result = SecondsTimestamp.safeParse('2026-04-19T22:45:28.5Z');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).not.toContain('22:45');
  });
});
