import { describe, expect, it } from 'vitest';
import {
  decodeResponseStreamEvent,
  ResponseStreamError,
  ResponseTextAccumulator,
  type ResponseStreamEvent,
} from '../src/index.js';

function fold(events: readonly object[]) {
  const answer = new ResponseTextAccumulator();
  for (const event of events) {
    const decoded = decodeResponseStreamEvent(JSON.stringify(event));
    if (decoded !== undefined && answer.add(decoded)) break;
  }
  return answer.finish();
}

function failureOf(events: readonly object[]): ResponseStreamError {
  try {
    fold(events);
  } catch (error) {
    if (ResponseStreamError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the stream completed');
}

const message = (text: string) => ({
  type: 'message',
  role: 'assistant',
  id: 'msg_1',
  content: [{ type: 'output_text', text, annotations: [] }],
});
const completed = (extra: object = {}) => ({
  type: 'response.completed',
  response: { id: 'resp_1', status: 'completed', ...extra },
});

describe('ResponseTextAccumulator (SPEC §3.8): where the text comes from', () => {
  it.each([
    [
      'deltas win over everything else',
      [
        { type: 'response.output_text.delta', delta: 'a' },
        { type: 'response.output_text.delta', delta: 'b' },
        { type: 'response.output_text.done', text: 'X' },
        { type: 'response.output_item.done', item: message('Y') },
        completed({ output: [message('Z')] }),
      ],
      'ab',
      'deltas',
    ],
    [
      'then output_text.done',
      [
        { type: 'response.output_text.done', text: 'X' },
        { type: 'response.output_item.done', item: message('Y') },
        completed({ output: [message('Z')] }),
      ],
      'X',
      'output_text_done',
    ],
    [
      'then output_item.done (assistant messages only)',
      [
        { type: 'response.output_item.done', item: { type: 'reasoning', id: 'rs_1' } },
        { type: 'response.output_item.done', item: message('Y') },
        completed({ output: [message('Z')] }),
      ],
      'Y',
      'output_item_done',
    ],
    [
      'then the completed Response’s output',
      [completed({ output: [{ type: 'reasoning' }, message('Z')] })],
      'Z',
      'completed_response',
    ],
    ['and an answer without any text is empty', [completed()], '', 'none'],
  ])('%s', (_name, events, text, source) => {
    expect(fold(events)).toMatchObject({ text, source, responseId: 'resp_1' });
  });

  it('keeps usage when the completed Response has it, and none when it does not', () => {
    const usage = { input_tokens: 1, output_tokens: 2, total_tokens: 3 };
    expect(fold([completed({ usage })]).usage).toEqual(usage);
    expect(fold([completed({ usage: null })]).usage).toBeUndefined();
  });

  it('takes the response id from response.created when the completed Response has none', () => {
    expect(
      fold([{ type: 'response.created', response: { id: 'resp_early' } }, { type: 'response.completed' }]).responseId,
    ).toBe('resp_early');
  });
});

describe('ResponseTextAccumulator: how a turn ends without an answer', () => {
  it('response.failed: RESPONSE_FAILED with the server’s message and code', () => {
    const error = failureOf([
      { type: 'response.failed', response: { error: { code: 'server_error', message: 'overloaded' } } },
    ]);
    expect(error).toMatchObject({
      code: 'RESPONSE_FAILED',
      serverCode: 'server_error',
      message: 'the model response failed: overloaded (server_error)',
    });
  });

  it('response.incomplete: RESPONSE_INCOMPLETE with the reason', () => {
    const error = failureOf([
      { type: 'response.incomplete', response: { incomplete_details: { reason: 'max_output_tokens' } } },
    ]);
    expect(error).toMatchObject({
      code: 'RESPONSE_INCOMPLETE',
      serverCode: 'max_output_tokens',
      message: 'the model response is incomplete: max_output_tokens',
    });
  });

  it.each([
    ['the SSE form', { type: 'error', code: 'rate_limit_exceeded', message: 'slow down', param: null }],
    [
      'the WebSocket form',
      {
        type: 'error',
        status: 429,
        error: { type: 'invalid_request_error', code: 'rate_limit_exceeded', message: 'slow down' },
      },
    ],
  ])('an error event (%s): RESPONSE_ERROR_EVENT with the server’s message', (_name, event) => {
    expect(failureOf([event])).toMatchObject({
      code: 'RESPONSE_ERROR_EVENT',
      serverCode: 'rate_limit_exceeded',
      message: 'the model endpoint sent an error: slow down (rate_limit_exceeded)',
    });
  });

  it('a stream that ends before a terminal event: RESPONSE_STREAM_CUT, which says so', () => {
    expect(failureOf([{ type: 'response.output_text.delta', delta: 'Hel' }])).toMatchObject({
      code: 'RESPONSE_STREAM_CUT',
      message:
        'the model stream ended before a terminal event (response.completed, response.failed, response.incomplete or error)',
    });
  });

  it('a runaway server message is cut to 512 characters', () => {
    const error = failureOf([{ type: 'response.failed', response: { error: { message: 'x'.repeat(5000) } } }]);
    expect(error.message).toBe(`the model response failed: ${'x'.repeat(512)}…`);
  });

  it('events after response.completed change nothing', () => {
    const answer = new ResponseTextAccumulator();
    const events: ResponseStreamEvent[] = [
      { type: 'response.output_text.delta', delta: 'done' },
      { type: 'response.completed' },
      { type: 'response.output_text.delta', delta: ' more' },
    ];
    expect(events.map((event) => answer.add(event))).toEqual([false, true, true]);
    expect(answer.finish().text).toBe('done');
  });
});

describe('decodeResponseStreamEvent', () => {
  it('skips event types a client need not understand, and keeps unknown fields of known ones', () => {
    expect(
      decodeResponseStreamEvent('{"type": "response.reasoning_summary_text.delta", "delta": "x"}'),
    ).toBeUndefined();
    expect(
      decodeResponseStreamEvent('{"type": "response.output_text.delta", "delta": "x", "obfuscation": "q"}'),
    ).toEqual({ type: 'response.output_text.delta', delta: 'x', obfuscation: 'q' });
  });

  it.each([
    ['text that is not JSON', 'data', 'the model endpoint sent an event that is not JSON'],
    [
      'an object without a type',
      '{"delta": "x"}',
      'the model endpoint sent an event that is not an object with a string "type"',
    ],
    [
      'a known event without what a client reads',
      '{"type": "response.output_text.delta"}',
      'the model endpoint sent an invalid response.output_text.delta event',
    ],
  ])('%s is RESPONSE_EVENT_INVALID', (_name, json, message) => {
    expect(() => decodeResponseStreamEvent(json)).toThrow(
      expect.objectContaining({ code: 'RESPONSE_EVENT_INVALID', message }) as Error,
    );
  });
});
