import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../src/index.js';

/** Runs `run` and returns the `CryptoError` it must throw, after checking its `code`. */
export function expectCryptoError(run: () => unknown, code: CryptoErrorCode): CryptoError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  if (!CryptoError.isInstance(thrown)) {
    throw new Error(`expected a CryptoError ${code}, got ${String(thrown)}`);
  }
  expect(thrown.code).toBe(code);
  return thrown;
}
