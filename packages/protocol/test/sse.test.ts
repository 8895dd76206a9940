import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AgentIdentityError, type SseEvent, SseDecoder, encodeSseEvent } from '../src/index.js';

const events = [
  { type: 'response.created', response: { id: 'resp_1' } },
  { type: 'response.output_text.delta', delta: 'line one\nline two\r\n✓' },
  {
    type: 'response.completed',
    response: { id: 'resp_1', output_text: 'x', usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } },
  },
];
const wire = events.map(encodeSseEvent).join('');

function decodeChunks(chunks: readonly string[]): SseEvent[] {
  const decoder = new SseDecoder();
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

describe('encodeSseEvent', () => {
  it('names the event and puts the JSON on one data line', () => {
    expect(encodeSseEvent({ type: 'response.output_text.delta', delta: 'a\nb' } as { type: string })).toBe(
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"a\\nb"}\n\n',
    );
  });

  it('refuses a type with a line break', () => {
    expect(() => encodeSseEvent({ type: 'a\nb' })).toThrow(AgentIdentityError);
  });
});

describe('SseDecoder', () => {
  it('decodes what encodeSseEvent writes', () => {
    const decoded = decodeChunks([wire]);
    expect(decoded.map((event) => event.event)).toEqual(events.map((event) => event.type));
    expect(decoded.map((event) => JSON.parse(event.data) as unknown)).toEqual(events);
  });

  it('handles chunk boundaries anywhere (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: wire.length }), { maxLength: 12 }), (cuts) => {
        const sorted = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...sorted].map((start, index) => wire.slice(start, sorted[index] ?? wire.length));
        expect(decodeChunks(chunks).map((event) => JSON.parse(event.data) as unknown)).toEqual(events);
      }),
    );
  });

  it('handles CRLF and CR line ends, including a CRLF split across chunks', () => {
    const crlf = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r';
    for (let cut = 0; cut <= crlf.length; cut += 1) {
      expect(decodeChunks([crlf.slice(0, cut), crlf.slice(cut)])).toEqual([
        { event: 'a', data: '1' },
        { event: 'b', data: '2' },
      ]);
    }
  });

  it('ignores comments, retry and unknown fields; joins data lines; defaults the name to message', () => {
    const text = ': keep-alive\nretry: 100\nfoo: bar\ndata: first\ndata:second\ndata\nid: 7\n\n';
    expect(decodeChunks([text])).toEqual([{ event: 'message', data: 'first\nsecond\n', id: '7' }]);
  });

  it('does not dispatch an event without data, nor an unterminated one', () => {
    expect(decodeChunks(['event: ping\n\n', 'data: partial'])).toEqual([]);
  });

  it('strips a leading byte order mark', () => {
    expect(decodeChunks(['\uFEFF', 'data: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
  });
});
