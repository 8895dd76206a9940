import { inspect } from 'node:util';
import { AgentIdentityError } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { ApiBridgeError } from '../src/index.js';

describe('ApiBridgeError', () => {
  it('is an AgentIdentityError with its code, message and cause', () => {
    const cause = new Error('registration refused');
    const error = new ApiBridgeError('TASK_REGISTRATION_FAILED', 'could not register', { cause });
    expect(error).toBeInstanceOf(AgentIdentityError);
    expect(error).toMatchObject({
      name: 'ApiBridgeError',
      code: 'TASK_REGISTRATION_FAILED',
      message: 'could not register',
      cause,
      isRetryable: false,
    });
    expect(AgentIdentityError.isInstance(error)).toBe(true);
  });

  it('isInstance recognises a copy from another package instance by its marker, and nothing else', () => {
    const foreign = Object.assign(new Error('copy'), {
      [Symbol.for('@agent-identity/api-bridge/ApiBridgeError')]: true,
    });
    expect(ApiBridgeError.isInstance(foreign)).toBe(true);
    expect(ApiBridgeError.isInstance(new AgentIdentityError('OTHER', 'other'))).toBe(false);
    expect(ApiBridgeError.isInstance(new Error('plain'))).toBe(false);
    expect(ApiBridgeError.isInstance(undefined)).toBe(false);
  });

  it('shows its code in util.inspect', () => {
    expect(inspect(new ApiBridgeError('REFUSED_AFTER_RETRY', 'again'))).toContain('REFUSED_AFTER_RETRY');
  });
});
