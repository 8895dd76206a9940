import { describe, expect, it } from 'vitest';
import {
  DownstreamErrorBody,
  DownstreamRejectionCode,
  ResponseCreateMessage,
  ResponseStreamEvent,
  ResponsesRequest,
} from '../src/index.js';

const stream = [
  { type: 'response.created', response: { id: 'resp_1', object: 'response', output: [], usage: null } },
  { type: 'response.output_text.delta', delta: 'Hel' },
  { type: 'response.output_text.delta', delta: 'lo' },
  {
    type: 'response.output_item.done',
    item: { type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: 'Hello' }] },
  },
  {
    type: 'response.completed',
    response: { id: 'resp_1', usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } },
  },
];

describe('Responses API stream events (SPEC §3.8)', () => {
  it('parses a stream whose completed Response has no output_text', () => {
    expect(stream.map((event) => ResponseStreamEvent.parse(event).type)).toEqual(stream.map((event) => event.type));
  });

  it('accepts the extra fields of the real API and leaves indexes, sequence numbers and usage optional', () => {
    const event = {
      type: 'response.output_text.delta',
      delta: 'x',
      output_index: 0,
      item_id: 'msg_1',
      sequence_number: 4,
      logprobs: [],
    };
    expect(ResponseStreamEvent.safeParse(event).success).toBe(true);
    expect(ResponseStreamEvent.safeParse({ type: 'response.completed' }).success).toBe(true);
    expect(
      ResponseStreamEvent.safeParse({
        type: 'response.failed',
        response: { error: { code: 'server_error', message: 'boom' } },
      }).success,
    ).toBe(true);
    expect(ResponseStreamEvent.safeParse({ type: 'error', code: null, message: 'boom' }).success).toBe(true);
  });

  it('rejects a known event without what a client reads from it', () => {
    expect(ResponseStreamEvent.safeParse({ type: 'response.output_text.delta' }).success).toBe(false);
    expect(ResponseStreamEvent.safeParse({ type: 'response.output_text.done', text: 3 }).success).toBe(false);
    expect(
      ResponseStreamEvent.safeParse({
        type: 'response.completed',
        response: { id: 'r', usage: { input_tokens: -1, output_tokens: 0, total_tokens: 0 } },
      }).success,
    ).toBe(false);
  });

  it('ResponsesRequest takes a text or an item list', () => {
    expect(ResponsesRequest.safeParse({ model: 'm', input: 'hi', stream: true }).success).toBe(true);
    expect(ResponsesRequest.safeParse({ model: 'm', input: [{ role: 'user', content: 'hi' }] }).success).toBe(true);
    expect(ResponsesRequest.safeParse({ model: 'm', input: 3 }).success).toBe(false);
    expect(ResponsesRequest.safeParse({ input: 'hi' }).success).toBe(false);
  });

  it('ResponseCreateMessage is the WebSocket client frame', () => {
    expect(ResponseCreateMessage.safeParse({ type: 'response.create', model: 'm', input: 'hi' }).success).toBe(true);
    expect(ResponseCreateMessage.safeParse({ type: 'response.cancel', model: 'm', input: 'hi' }).success).toBe(false);
  });

  it('DownstreamErrorBody carries one of the rejection codes (the nine of SPEC §3.8 and account_mismatch of the current profile)', () => {
    expect(DownstreamRejectionCode.options).toHaveLength(10);
    expect(DownstreamErrorBody.safeParse({ error: { code: 'expired', message: 'assertion expired' } }).success).toBe(
      true,
    );
    expect(DownstreamErrorBody.safeParse({ error: { code: 'nope', message: 'x' } }).success).toBe(false);
  });
});
