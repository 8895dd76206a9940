import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isReplayableBody } from '../src/index.js';

describe('isReplayableBody', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'text'],
    ['an empty string', ''],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['a Uint8Array', new Uint8Array([1, 2])],
    ['a Buffer', Buffer.from('bytes')],
    ['a DataView', new DataView(new ArrayBuffer(2))],
    ['URLSearchParams', new URLSearchParams({ a: '1' })],
    ['a Blob', new Blob(['blob'])],
    ['a File', new File(['file'], 'name.txt')],
    ['FormData', new FormData()],
  ])('%s: replayable', (_name, body) => {
    expect(isReplayableBody(body)).toBe(true);
  });

  it.each([
    ['a ReadableStream', new ReadableStream()],
    ['a Node stream', Readable.from(['chunk'])],
    [
      'an async iterable',
      { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) },
    ],
    [
      'a generator',
      (function* chunks() {
        yield new Uint8Array([1]);
      })(),
    ],
    ['a plain object', { text: 'not a body' }],
  ])('%s: one-shot (or unknown), never replayed', (_name, body) => {
    expect(isReplayableBody(body)).toBe(false);
  });
});
