/**
 * The one builder of the Responses API event sequence (SPEC §3.8) that both transports send:
 * HTTP as Server-Sent Events, WebSocket as one text frame per event. The shapes are those of the
 * `openai` package's `ResponseStreamEvent` and `Response` types (the tests check assignability),
 * written out here because that package is only a dev dependency.
 */
import { responseObjectDefaults } from '@agent-identity/protocol';

export interface OutputTextPart {
  type: 'output_text';
  text: string;
  annotations: never[];
}

export interface OutputMessage {
  id: string;
  type: 'message';
  status: 'in_progress' | 'completed';
  role: 'assistant';
  content: OutputTextPart[];
}

export interface ResponseUsageObject {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** Why a response failed: `error` of a `response.failed` Response. */
export interface ResponseErrorObject {
  code: 'server_error';
  message: string;
}

/** A Response object as the wire carries it (`output_text` is computed by SDKs, never sent). */
export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'failed';
  model: string;
  output: OutputMessage[];
  usage: ResponseUsageObject | null;
  error: ResponseErrorObject | null;
  incomplete_details: null;
  instructions: null;
  metadata: Record<string, string>;
  parallel_tool_calls: boolean;
  temperature: number;
  top_p: number;
  tool_choice: 'auto';
  tools: never[];
}

interface Sequenced {
  sequence_number: number;
}

interface TextPosition {
  item_id: string;
  output_index: number;
  content_index: number;
}

export type ReferenceStreamEvent = Sequenced &
  (
    | {
        type: 'response.created' | 'response.in_progress' | 'response.completed' | 'response.failed';
        response: ResponseObject;
      }
    | { type: 'response.output_item.added' | 'response.output_item.done'; output_index: number; item: OutputMessage }
    | ({ type: 'response.content_part.added' | 'response.content_part.done'; part: OutputTextPart } & TextPosition)
    | ({ type: 'response.output_text.delta'; delta: string; logprobs: never[] } & TextPosition)
    | ({ type: 'response.output_text.done'; text: string; logprobs: never[] } & TextPosition)
  );

/** Everything one answer is built from. */
export interface AnswerPlan {
  readonly responseId: string;
  readonly itemId: string;
  /** The model the request named, echoed like the real API does. */
  readonly model: string;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly text: string;
  readonly inputTokens: number;
}

/** What `response.failed` says after the first delta when a mid-stream failure is injected. */
export const INJECTED_FAILURE_MESSAGE = 'the reference backend failed this response on purpose (injected fault)';

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

/** The most `response.output_text.delta` events one answer has (issue 11 item 3). */
export const MAX_DELTAS = 64;

/**
 * One delta per word with its trailing space, so the deltas join to the text; past
 * {@link MAX_DELTAS} words, consecutive words share a delta.
 */
function deltasOf(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [''];
  if (words.length <= MAX_DELTAS) return words;
  const perDelta = Math.ceil(words.length / MAX_DELTAS);
  const deltas: string[] = [];
  for (let index = 0; index < words.length; index += perDelta)
    deltas.push(words.slice(index, index + perDelta).join(''));
  return deltas;
}

function responseObject(
  plan: AnswerPlan,
  fields: Pick<ResponseObject, 'status' | 'output' | 'usage' | 'error'>,
): ResponseObject {
  return {
    id: plan.responseId,
    object: 'response',
    created_at: plan.createdAt,
    model: plan.model,
    ...fields,
    ...responseObjectDefaults(),
  };
}

/** Numbers events from 0 in the order they are built. */
class EventSequence {
  readonly events: ReferenceStreamEvent[] = [];

  add(event: DistributiveOmit<ReferenceStreamEvent, 'sequence_number'>): void {
    this.events.push({ ...event, sequence_number: this.events.length });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The SPEC §3.8 events of one text answer: created, in_progress, the message item and its text
 * part opened, one delta per word, text/part/item done, completed with usage (word counts, enough
 * for a client to show usage). With `failMidStream` the stream stops after the first delta with
 * `response.failed` instead.
 */
export function answerEvents(plan: AnswerPlan, options: { failMidStream?: boolean } = {}): ReferenceStreamEvent[] {
  const sequence = new EventSequence();
  const position: TextPosition = { item_id: plan.itemId, output_index: 0, content_index: 0 };
  const inProgress = responseObject(plan, { status: 'in_progress', output: [], usage: null, error: null });
  sequence.add({ type: 'response.created', response: inProgress });
  sequence.add({ type: 'response.in_progress', response: inProgress });
  sequence.add({
    type: 'response.output_item.added',
    output_index: 0,
    item: { id: plan.itemId, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
  });
  sequence.add({
    type: 'response.content_part.added',
    ...position,
    part: { type: 'output_text', text: '', annotations: [] },
  });
  const deltas = deltasOf(plan.text);
  for (const delta of options.failMidStream === true ? deltas.slice(0, 1) : deltas) {
    sequence.add({ type: 'response.output_text.delta', ...position, delta, logprobs: [] });
  }
  if (options.failMidStream === true) {
    const error: ResponseErrorObject = { code: 'server_error', message: INJECTED_FAILURE_MESSAGE };
    sequence.add({
      type: 'response.failed',
      response: responseObject(plan, { status: 'failed', output: [], usage: null, error }),
    });
    return sequence.events;
  }
  const part: OutputTextPart = { type: 'output_text', text: plan.text, annotations: [] };
  const item: OutputMessage = {
    id: plan.itemId,
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [part],
  };
  const outputTokens = wordCount(plan.text);
  const usage: ResponseUsageObject = {
    input_tokens: plan.inputTokens,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: plan.inputTokens + outputTokens,
  };
  sequence.add({ type: 'response.output_text.done', ...position, text: plan.text, logprobs: [] });
  sequence.add({ type: 'response.content_part.done', ...position, part });
  sequence.add({ type: 'response.output_item.done', output_index: 0, item });
  sequence.add({
    type: 'response.completed',
    response: responseObject(plan, { status: 'completed', output: [item], usage, error: null }),
  });
  return sequence.events;
}

/** The input token count of a request: the words of its newest user text. */
export function inputTokenCount(inputText: string): number {
  return wordCount(inputText);
}
