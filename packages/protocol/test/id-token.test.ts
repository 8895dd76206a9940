import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdTokenError, type IdTokenErrorReason, decodeIdTokenClaims } from '../src/index.js';
import { thrownBy } from './thrown-by.js';

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const jwtWith = (payload: unknown) => `${b64url('{"alg":"RS256"}')}.${b64url(JSON.stringify(payload))}.c2lnbmF0dXJl`;

function rejection(jwt: string, reason: IdTokenErrorReason): IdTokenError {
  const error = thrownBy(() => decodeIdTokenClaims(jwt));
  expect(IdTokenError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason });
  return error as IdTokenError;
}

describe('decodeIdTokenClaims', () => {
  it('reads the account, user and plan from the https://api.openai.com/auth claim, and the email', () => {
    const jwt = jwtWith({
      email: 'dev@example.com',
      'https://api.openai.com/auth': {
        chatgpt_account_id: 'account-123',
        chatgpt_user_id: 'user-123',
        chatgpt_plan_type: 'pro',
      },
    });
    expect(decodeIdTokenClaims(jwt)).toEqual({
      chatgptAccountId: 'account-123',
      chatgptUserId: 'user-123',
      chatgptPlanType: 'pro',
      email: 'dev@example.com',
    });
  });

  it('accepts a padded payload', () => {
    const payload = Buffer.from(JSON.stringify({ 'https://api.openai.com/auth': { chatgpt_user_id: 'u1' } })).toString(
      'base64url',
    );
    const padded = payload + '='.repeat((4 - (payload.length % 4)) % 4);
    expect(padded).not.toBe(payload);
    expect(decodeIdTokenClaims(`h.${padded}.s`)).toEqual({ chatgptUserId: 'u1' });
  });

  it('leaves out absent, empty and non-string claims', () => {
    expect(decodeIdTokenClaims(jwtWith({}))).toEqual({});
    expect(decodeIdTokenClaims(jwtWith({ 'https://api.openai.com/auth': 'x' }))).toEqual({});
    expect(
      decodeIdTokenClaims(jwtWith({ 'https://api.openai.com/auth': { chatgpt_account_id: '', chatgpt_user_id: 7 } })),
    ).toEqual({});
  });

  it('rejects malformed tokens with a typed reason and never echoes the token', () => {
    const secret = 'eyJzZWNyZXQiOiJ0b2tlbiJ9';
    for (const jwt of [secret, `a.${secret}`, `a.${secret}.b.c`, 'a..b']) {
      expect(rejection(jwt, 'not_jwt').message).not.toContain(secret);
    }
    rejection('a.***.b', 'bad_base64');
    rejection('a.eyJ+.b', 'bad_base64');
    rejection(`a.${b64url('{"a":')}.b`, 'not_json');
    rejection(`a.${Buffer.from([0xff, 0xfe]).toString('base64url')}.b`, 'not_json');
    rejection(`a.${b64url('[1]')}.b`, 'not_object');
    rejection(`a.${b64url('null')}.b`, 'not_object');
  });

  it('throws only IdTokenError on arbitrary input (property)', () => {
    const tokens = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.tuple(fc.string(), fc.string(), fc.string()).map((parts) => parts.join('.')),
      fc.jsonValue().map((value) => jwtWith(value)),
    );
    fc.assert(
      fc.property(tokens, (jwt) => {
        try {
          const claims = decodeIdTokenClaims(jwt);
          expect(typeof claims).toBe('object');
        } catch (error) {
          expect(IdTokenError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
