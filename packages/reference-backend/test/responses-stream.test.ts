import OpenAI from 'openai';
import type {
  ResponseOutputMessage as SdkOutputMessage,
  ResponseOutputText as SdkOutputText,
  Response as SdkResponse,
  ResponseStreamEvent as SdkStreamEvent,
  ResponseUsage as SdkUsage,
} from 'openai/resources/responses/responses';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { answerEvents, type ReferenceStreamEvent } from '../src/response-stream.js';
import { startReferenceBackend } from '../src/index.js';
import { collectFrames, connectWebSocket } from './protocol-client.js';
import { alice } from './test-users.js';

/**
 * The SPEC §3.8 stream checked against the `openai` package's own types and parsed by the SDK
 * itself. The SDK's `Response` type has two known differences from the wire: `output_text` is a
 * convenience the SDK computes (never sent), and `usage` is `null` until `response.completed`.
 */
type WireResponse = Omit<SdkResponse, 'output_text' | 'usage'> & { usage?: SdkUsage | null };
type Wire<Event> = Event extends { response: SdkResponse }
  ? Omit<Event, 'response'> & { response: WireResponse }
  : Event;
type WireStreamEvent = Wire<SdkStreamEvent>;

// Deterministic ids and clock: every random byte 0xab, time 2023-11-14T22:13:20Z.
const randomBytes = (n: number): Uint8Array => new Uint8Array(n).fill(0xab);
const NOW_MS = 1_700_000_000_000;
const RESPONSE_ID = `resp_${'ab'.repeat(16)}`;
const ITEM_ID = `msg_${'ab'.repeat(16)}`;
const TEXT = 'echo: hi there (user user-alice)';

const inProgress = {
  id: RESPONSE_ID,
  object: 'response',
  created_at: 1_700_000_000,
  status: 'in_progress',
  model: 'gpt-test',
  output: [],
  usage: null,
  error: null,
  incomplete_details: null,
  instructions: null,
  metadata: {},
  parallel_tool_calls: true,
  temperature: 1,
  top_p: 1,
  tool_choice: 'auto',
  tools: [],
} satisfies WireResponse;
const position = { item_id: ITEM_ID, output_index: 0, content_index: 0 };
const part: SdkOutputText = { type: 'output_text', text: TEXT, annotations: [] };
const item: SdkOutputMessage = {
  id: ITEM_ID,
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [part],
};
const deltas = ['echo: ', 'hi ', 'there ', '(user ', 'user-alice)'];

/** Exactly what SPEC §3.8 lists for this answer, typed by the SDK. */
const expectedStream = [
  { type: 'response.created', sequence_number: 0, response: inProgress },
  { type: 'response.in_progress', sequence_number: 1, response: inProgress },
  {
    type: 'response.output_item.added',
    sequence_number: 2,
    output_index: 0,
    item: { id: ITEM_ID, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
  },
  {
    type: 'response.content_part.added',
    sequence_number: 3,
    ...position,
    part: { type: 'output_text', text: '', annotations: [] },
  },
  ...deltas.map((delta, index) => ({
    type: 'response.output_text.delta' as const,
    sequence_number: 4 + index,
    ...position,
    delta,
    logprobs: [],
  })),
  { type: 'response.output_text.done', sequence_number: 9, ...position, text: TEXT, logprobs: [] },
  { type: 'response.content_part.done', sequence_number: 10, ...position, part },
  { type: 'response.output_item.done', sequence_number: 11, output_index: 0, item },
  {
    type: 'response.completed',
    sequence_number: 12,
    response: {
      ...inProgress,
      status: 'completed',
      output: [item],
      usage: {
        input_tokens: 2,
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 7,
      },
    },
  },
] satisfies WireStreamEvent[];

async function startBackend() {
  return startReferenceBackend({ users: [alice], randomBytes, now: () => NOW_MS });
}

function sdkClient(baseUrl: string): OpenAI {
  // The backend takes a configured user's access token as `Bearer`, which is what the SDK sends.
  return new OpenAI({ apiKey: alice.accessToken, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
}

describe('the model endpoint’s stream (SPEC §3.8) is the OpenAI Responses stream', () => {
  it('every event the builder emits is an SDK ResponseStreamEvent (as the wire carries it)', () => {
    expectTypeOf<ReferenceStreamEvent>().toExtend<WireStreamEvent>();
    const events: WireStreamEvent[] = answerEvents({
      responseId: RESPONSE_ID,
      itemId: ITEM_ID,
      model: 'gpt-test',
      createdAt: 1_700_000_000,
      text: TEXT,
      inputTokens: 2,
    });
    expect(events).toEqual(expectedStream);
  });

  it('over HTTP the SDK’s responses.create({stream: true}) yields exactly the SPEC sequence', async () => {
    await using backend = await startBackend();
    const received: SdkStreamEvent[] = [];
    for await (const event of await sdkClient(backend.baseUrl).responses.create({
      model: 'gpt-test',
      input: 'hi there',
      stream: true,
    })) {
      received.push(event);
    }
    expect(received).toEqual(expectedStream);
  });

  it('over HTTP the SDK’s accumulating responses.stream() finishes with the echoed output_text and usage', async () => {
    await using backend = await startBackend();
    const final = await sdkClient(backend.baseUrl)
      .responses.stream({ model: 'gpt-test', input: 'hi there' })
      .finalResponse();
    expect(final).toMatchObject({
      id: RESPONSE_ID,
      status: 'completed',
      output_text: TEXT,
      usage: { total_tokens: 7 },
    });
  });

  it('over WebSocket the frames are the same events, one per frame', async () => {
    await using backend = await startBackend();
    const handshake = await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
    if (handshake.kind !== 'open') throw new Error(`handshake was not accepted: ${handshake.kind}`);
    const frames = await collectFrames(
      handshake.socket,
      JSON.stringify({ type: 'response.create', model: 'gpt-test', input: 'hi there' }),
    );
    handshake.socket.close();
    expect(frames).toEqual(expectedStream);
  });

  it.each(['responses', 'responses_ws'] as const)(
    'a response_failed fault on %s ends the stream in response.failed after the first delta',
    async (endpoint) => {
      await using backend = await startBackend();
      backend.admin.injectFault(endpoint, { kind: 'response_failed' });
      let events: unknown[];
      if (endpoint === 'responses') {
        const stream = await sdkClient(backend.baseUrl).responses.create({
          model: 'gpt-test',
          input: 'hi there',
          stream: true,
        });
        events = [];
        for await (const event of stream) events.push(event);
      } else {
        const handshake = await connectWebSocket(backend.websocketUrl, `Bearer ${alice.accessToken}`);
        if (handshake.kind !== 'open') throw new Error(`handshake was not accepted: ${handshake.kind}`);
        events = await collectFrames(
          handshake.socket,
          JSON.stringify({ type: 'response.create', model: 'gpt-test', input: 'hi there' }),
        );
        handshake.socket.close();
      }
      const failed = {
        type: 'response.failed',
        sequence_number: 5,
        response: {
          ...inProgress,
          status: 'failed',
          error: {
            code: 'server_error',
            message: 'the reference backend failed this response on purpose (injected fault)',
          },
        },
      } satisfies WireStreamEvent;
      expect(events).toEqual([...expectedStream.slice(0, 5), failed]);
    },
  );
});
