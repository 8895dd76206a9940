import { AgentIdentityError } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../src/index.js';

describe('CryptoError', () => {
  const error = new CryptoError('SEALED_BOX_OPEN_FAILED', 'sealed box did not authenticate', { cause: 'x' });

  it('is an AgentIdentityError with a code, a message, a cause and no retry', () => {
    expect(error).toBeInstanceOf(AgentIdentityError);
    expect(AgentIdentityError.isInstance(error)).toBe(true);
    expect({
      name: error.name,
      code: error.code,
      message: error.message,
      cause: error.cause,
      isRetryable: error.isRetryable,
    }).toEqual({
      name: 'CryptoError',
      code: 'SEALED_BOX_OPEN_FAILED',
      message: 'sealed box did not authenticate',
      cause: 'x',
      isRetryable: false,
    });
  });

  it('isInstance tells it apart from other errors', () => {
    expect(CryptoError.isInstance(error)).toBe(true);
    expect(CryptoError.isInstance(new AgentIdentityError('OTHER', 'other'))).toBe(false);
    expect(CryptoError.isInstance(new Error('plain'))).toBe(false);
    expect(CryptoError.isInstance(undefined)).toBe(false);
  });

  it('isInstance recognises an error from another copy of the package by its global marker', () => {
    const fromOtherCopy = Object.assign(new Error('copy'), {
      [Symbol.for('@agent-identity/crypto/CryptoError')]: true,
    });
    expect(CryptoError.isInstance(fromOtherCopy)).toBe(true);
  });
});
