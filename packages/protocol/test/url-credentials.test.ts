import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from '../src/index.js';

describe('redactUrlCredentials', () => {
  it.each([
    ['http://user:pass@host/backend-api', 'http://***@host/backend-api'],
    ['https://token@example.com:8443/x?y=@z', 'https://***@example.com:8443/x?y=@z'],
    ['ftp://a:b@c', 'ftp://***@c'],
    ['http://host/path@not-userinfo', 'http://host/path@not-userinfo'],
    ['not a url', 'not a url'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrlCredentials(url)).toBe(shown);
  });
});
