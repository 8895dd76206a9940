import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBase64, decodeBase64UrlNoPad, encodeBase64, encodeBase64UrlNoPad } from '../src/index.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('standard base64', () => {
  it('encodes with padding', () => {
    expect(encodeBase64(bytes())).toBe('');
    expect(encodeBase64(bytes(0xff))).toBe('/w==');
    expect(encodeBase64(bytes(0xfb, 0xff))).toBe('+/8=');
    expect(encodeBase64(bytes(1, 2, 3))).toBe('AQID');
  });

  it('encodes a view into a larger buffer by its own bytes only', () => {
    const whole = bytes(9, 1, 2, 3, 9);
    expect(encodeBase64(whole.subarray(1, 4))).toBe('AQID');
  });

  it('decodes canonical text into a standalone Uint8Array', () => {
    const decoded = decodeBase64('AQID');
    expect(decoded).toEqual(bytes(1, 2, 3));
    expect(decoded?.byteOffset).toBe(0);
    expect(decoded?.buffer.byteLength).toBe(3);
    expect(decodeBase64('/w==')).toEqual(bytes(0xff));
    expect(decodeBase64('+/8=')).toEqual(bytes(0xfb, 0xff));
    expect(decodeBase64('')).toEqual(bytes());
  });

  it('rejects the lenient inputs Buffer.from accepts', () => {
    const lenient = [
      'AQI D', // inner space
      'AQID\n', // trailing newline
      ' AQID', // leading space
      'AQ\tID',
      'AQ==ID', // padding in the middle
      'AQ', // missing padding
      'AQ=', // short padding
      'AQI', // missing padding
      'AQID=', // extra padding
      'AQID====',
      'AR==', // non-zero trailing bits (decodes like AQ==)
      'AQJ=', // non-zero trailing bits (decodes like AQI=)
      'AQ-_', // URL alphabet
      'AQ*D', // foreign character
      'A',
      '=',
      '====',
    ];
    for (const text of lenient) {
      // Buffer decodes it to some bytes whose encoding is another string: not canonical.
      expect(Buffer.from(text, 'base64').toString('base64')).not.toBe(text);
      expect(decodeBase64(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});

describe('decoded secrets and the buffer pool', () => {
  // Not a Buffer (which could come from the pool itself): a plain array of distinctive bytes.
  const secret = Uint8Array.from({ length: 32 }, (_, index) => 0xc0 ^ (index * 7));

  function poolHolds(bytes: Uint8Array): boolean {
    // Any small Buffer is a view of the current pool slab; .buffer exposes all of it.
    const needle = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a view, not a copy
    return Buffer.from(Buffer.from('x').buffer).includes(needle);
  }

  it('Buffer.from leaves decoded bytes in the pool (the control)', () => {
    const decoded = Buffer.from(encodeBase64(secret), 'base64');
    expect(poolHolds(decoded)).toBe(true);
    decoded.fill(0);
  });

  it.each([
    ['decodeBase64', () => decodeBase64(encodeBase64(secret))],
    ['decodeBase64UrlNoPad', () => decodeBase64UrlNoPad(encodeBase64UrlNoPad(secret))],
  ])('%s leaves no copy there', (_name, decode) => {
    expect(decode()).toEqual(secret);
    expect(poolHolds(secret)).toBe(false);
  });
});

describe('base64url without padding', () => {
  it('encodes with the URL alphabet and no padding', () => {
    expect(encodeBase64UrlNoPad(bytes(0xff))).toBe('_w');
    expect(encodeBase64UrlNoPad(bytes(0xfb, 0xff))).toBe('-_8');
    expect(encodeBase64UrlNoPad(bytes(1, 2, 3))).toBe('AQID');
  });

  it('decodes canonical text', () => {
    expect(decodeBase64UrlNoPad('_w')).toEqual(bytes(0xff));
    expect(decodeBase64UrlNoPad('-_8')).toEqual(bytes(0xfb, 0xff));
    expect(decodeBase64UrlNoPad('')).toEqual(bytes());
  });

  it('rejects the lenient inputs Buffer.from accepts', () => {
    for (const text of ['_w==', '-_8=', '+/8', '/w', 'AQI D', 'AQID\n', 'A', 'AQIDA', '_x', '-_9', 'AQ*D']) {
      expect(Buffer.from(text, 'base64url').toString('base64url')).not.toBe(text);
      expect(decodeBase64UrlNoPad(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});

const flavours = [
  {
    name: 'standard base64',
    encode: encodeBase64,
    decode: decodeBase64,
    bufferEncoding: 'base64',
    alphabet: ['A', 'Q', 'g', 'w', 'B', '+', '/', '=', '-', '_', ' ', '\n', 'z', '9'],
  },
  {
    name: 'base64url without padding',
    encode: encodeBase64UrlNoPad,
    decode: decodeBase64UrlNoPad,
    bufferEncoding: 'base64url',
    alphabet: ['A', 'Q', 'g', 'w', '-', '_', '=', '+', '/', ' ', 'z', '9'],
  },
] as const;

describe.each(flavours)('$name properties', ({ encode, decode, bufferEncoding, alphabet }) => {
  it('round-trips arbitrary bytes, agreeing with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (data) => {
        const text = encode(data);
        expect(decode(text)).toEqual(data);
        expect(Buffer.from(text, bufferEncoding)).toEqual(Buffer.from(data));
      }),
    );
  });

  it('accepts exactly the strings Buffer re-encodes to themselves', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 12 }), (text) => {
        const canonical = Buffer.from(text, bufferEncoding).toString(bufferEncoding) === text;
        expect(decode(text) !== undefined).toBe(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const decoded = decode(text);
        expect(decoded === undefined || decoded instanceof Uint8Array).toBe(true);
      }),
    );
  });
});
