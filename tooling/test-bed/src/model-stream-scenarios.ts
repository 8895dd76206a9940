/**
 * Responses streams a real model server may send (SPEC §3.8), written by hand from the spec and
 * the OpenAI API reference, independently of the reference backend, so that a client tested
 * against them does not share the backend's misunderstandings. Each is what one turn receives.
 */
import { responseObjectDefaults } from '@agent-identity/protocol';

/** A stream the client must complete a turn on, with the text it must end up with. */
export interface CompletingStream {
  readonly name: string;
  readonly events: readonly object[];
  readonly text: string;
  /** Whether the text arrives as deltas (a streaming client shows it piece by piece). */
  readonly deltas: boolean;
}

/** A stream the client must fail the turn on. */
export interface FailingStream {
  readonly name: string;
  readonly events: readonly object[];
  /**
   * The server's own message, which the failure must show; `undefined` for a cut stream (the
   * server ends it without a terminal event: the HTTP body ends, the WebSocket closes).
   */
  readonly serverMessage: string | undefined;
}

export type ModelStream = CompletingStream | FailingStream;

export const ANSWER = 'Hello from an independent server';
const RESPONSE_ID = 'resp_independent';
const ITEM_ID = 'msg_independent';

const inProgressResponse = {
  id: RESPONSE_ID,
  object: 'response',
  created_at: 1_764_000_000,
  status: 'in_progress',
  model: 'gpt-independent',
  output: [],
  usage: null,
  error: null,
  ...responseObjectDefaults(),
};
const at = { item_id: ITEM_ID, output_index: 0, content_index: 0 };
const textPart = { type: 'output_text', text: ANSWER, annotations: [] };
const doneItem = { id: ITEM_ID, type: 'message', status: 'completed', role: 'assistant', content: [textPart] };
const deltas = ['Hello ', 'from an ', 'independent ', 'server'];

/** (1) Everything SPEC §3.8 lists, in order, with sequence numbers and usage. */
const fullStream: readonly object[] = [
  { type: 'response.created', sequence_number: 0, response: inProgressResponse },
  { type: 'response.in_progress', sequence_number: 1, response: inProgressResponse },
  {
    type: 'response.output_item.added',
    sequence_number: 2,
    output_index: 0,
    item: { id: ITEM_ID, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
  },
  {
    type: 'response.content_part.added',
    sequence_number: 3,
    ...at,
    part: { type: 'output_text', text: '', annotations: [] },
  },
  ...deltas.map((delta, index) => ({
    type: 'response.output_text.delta',
    sequence_number: 4 + index,
    ...at,
    delta,
    logprobs: [],
  })),
  { type: 'response.output_text.done', sequence_number: 8, ...at, text: ANSWER, logprobs: [] },
  { type: 'response.content_part.done', sequence_number: 9, ...at, part: textPart },
  { type: 'response.output_item.done', sequence_number: 10, output_index: 0, item: doneItem },
  {
    type: 'response.completed',
    sequence_number: 11,
    response: {
      ...inProgressResponse,
      status: 'completed',
      output: [doneItem],
      usage: {
        input_tokens: 3,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 8,
      },
    },
  },
];

export const COMPLETING_STREAMS: readonly CompletingStream[] = [
  { name: '(1) the full SPEC §3.8 stream', events: fullStream, text: ANSWER, deltas: true },
  {
    name: '(2) only deltas and a response.completed without usage',
    events: [
      ...deltas.map((delta) => ({ type: 'response.output_text.delta', delta })),
      { type: 'response.completed', response: { id: RESPONSE_ID, status: 'completed' } },
    ],
    text: ANSWER,
    deltas: true,
  },
  {
    name: '(3) only response.output_item.done and response.completed',
    events: [
      { type: 'response.output_item.done', output_index: 0, item: doneItem },
      { type: 'response.completed', response: { id: RESPONSE_ID, status: 'completed', output: [doneItem] } },
    ],
    text: ANSWER,
    deltas: false,
  },
  {
    name: '(4) unknown events and fields interleaved',
    events: [
      { type: 'response.queued', sequence_number: 0, response: { ...inProgressResponse, status: 'queued' } },
      { type: 'response.created', sequence_number: 1, response: inProgressResponse, brand_new_field: { nested: true } },
      {
        type: 'response.reasoning_summary_text.delta',
        sequence_number: 2,
        item_id: 'rs_1',
        output_index: 0,
        summary_index: 0,
        delta: 'thinking',
      },
      { type: 'response.output_text.delta', sequence_number: 3, ...at, delta: 'Hello from an ', obfuscation: 'x7Kq' },
      { type: 'codex.rate_limits', plan_type: 'plus', primary: { used_percent: 1 } },
      { type: 'keepalive' },
      { type: 'response.output_text.delta', sequence_number: 4, ...at, delta: 'independent server' },
      {
        type: 'response.output_text.annotation.added',
        sequence_number: 5,
        ...at,
        annotation_index: 0,
        annotation: { type: 'url_citation' },
      },
      {
        type: 'response.completed',
        sequence_number: 6,
        response: { ...inProgressResponse, status: 'completed', output: [doneItem], service_tier: 'default' },
      },
    ],
    text: ANSWER,
    deltas: true,
  },
];

export const SERVER_FAILURE_MESSAGE = 'The model is overloaded right now (independent server)';

export const FAILING_STREAMS: readonly FailingStream[] = [
  {
    name: 'response.failed after a delta',
    events: [
      { type: 'response.created', sequence_number: 0, response: inProgressResponse },
      { type: 'response.output_text.delta', sequence_number: 1, ...at, delta: 'Hello ' },
      {
        type: 'response.failed',
        sequence_number: 2,
        response: {
          ...inProgressResponse,
          status: 'failed',
          error: { code: 'server_error', message: SERVER_FAILURE_MESSAGE },
        },
      },
    ],
    serverMessage: SERVER_FAILURE_MESSAGE,
  },
  {
    name: 'a stream cut after a delta, before any terminal event',
    events: [
      { type: 'response.created', sequence_number: 0, response: inProgressResponse },
      { type: 'response.output_text.delta', sequence_number: 1, ...at, delta: 'Hello ' },
    ],
    serverMessage: undefined,
  },
];
