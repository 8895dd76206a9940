import { describe, expect, it } from 'vitest';
import { createAgentVerifier, VerifierError } from '../src/index.js';

describe('createAgentVerifier options', () => {
  it.each([
    ['windowSeconds', -1],
    ['windowSeconds', 1.5],
    ['keyCacheSize', -1],
    ['resultCacheSize', Number.NaN],
  ])('rejects %s = %d with OPTIONS_INVALID', (name, value) => {
    let error: unknown;
    try {
      createAgentVerifier({ keys: { publicKey: () => undefined }, [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(VerifierError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OPTIONS_INVALID', message: `${name} must be a non-negative integer` });
  });
});
