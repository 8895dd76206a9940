import { describe, expect, it } from 'vitest';
import { applyAuthHeaders } from '../src/index.js';

function callerHeaders(): Headers {
  return new Headers({
    Authorization: 'Bearer stale',
    'ChatGPT-Account-ID': 'account-of-the-caller',
    'Content-Type': 'application/json',
  });
}

describe('applyAuthHeaders', () => {
  it('an assertion replaces the caller’s Authorization and removes their ChatGPT-Account-ID', () => {
    const headers = callerHeaders();
    applyAuthHeaders(headers, { authorization: 'AgentAssertion token' });
    expect(Object.fromEntries(headers)).toEqual({
      authorization: 'AgentAssertion token',
      'content-type': 'application/json',
    });
  });

  it('bearer auth replaces both with its own', () => {
    const headers = callerHeaders();
    applyAuthHeaders(headers, { authorization: 'Bearer fresh', 'chatgpt-account-id': 'account-1' });
    expect(Object.fromEntries(headers)).toEqual({
      authorization: 'Bearer fresh',
      'chatgpt-account-id': 'account-1',
      'content-type': 'application/json',
    });
  });

  it('bearer auth without an account removes the caller’s account id too', () => {
    const headers = callerHeaders();
    applyAuthHeaders(headers, { authorization: 'Bearer api-key' });
    expect(headers.has('chatgpt-account-id')).toBe(false);
  });

  it('no auth headers (nobody logged in) leave the caller’s headers as they are', () => {
    const headers = callerHeaders();
    applyAuthHeaders(headers, {});
    expect(Object.fromEntries(headers)).toEqual(Object.fromEntries(callerHeaders()));
  });
});
