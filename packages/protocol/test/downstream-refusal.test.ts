import { describe, expect, it } from 'vitest';
import {
  DownstreamRejectionCode,
  downstreamRefusalRemedy,
  isClockSkewRefusal,
  isReregistrationRefusal,
} from '../src/index.js';

describe('what heals a downstream refusal (SPEC §3.8, §5)', () => {
  it('a new task heals task_invalid, unknown_task and unknown_agent; a corrected clock heals expired and from_future', () => {
    const remedies = Object.fromEntries(
      DownstreamRejectionCode.options.map((code) => [code, downstreamRefusalRemedy(code)]),
    );
    expect(remedies).toEqual({
      missing_authorization: 'none',
      malformed_assertion: 'none',
      unknown_agent: 'reregister',
      unknown_task: 'reregister',
      task_invalid: 'reregister',
      bad_signature: 'none',
      expired: 'correct_clock',
      from_future: 'correct_clock',
      invalid_token: 'none',
      account_mismatch: 'none',
    });
  });

  it('isReregistrationRefusal is true for exactly the three re-registration codes', () => {
    expect(DownstreamRejectionCode.options.filter((code) => isReregistrationRefusal(code))).toEqual([
      'unknown_agent',
      'unknown_task',
      'task_invalid',
    ]);
  });

  it('isClockSkewRefusal is true for exactly expired and from_future', () => {
    expect(DownstreamRejectionCode.options.filter((code) => isClockSkewRefusal(code))).toEqual([
      'expired',
      'from_future',
    ]);
  });

  it.each([undefined, '', 'server_error', 'TASK_INVALID', 'constructor', 'toString', '__proto__'])(
    'a code outside SPEC §3.8 (%s) has no remedy',
    (code) => {
      expect(downstreamRefusalRemedy(code)).toBe('none');
      expect(isReregistrationRefusal(code)).toBe(false);
      expect(isClockSkewRefusal(code)).toBe(false);
    },
  );
});
