import * as z from 'zod/mini';

/**
 * The downstream model endpoint (SPEC §3.8): the Responses API request bodies, the stream events
 * a client reads, and the endpoint's refusals.
 */

/** A text prompt, or a list of Responses API input items (passed through unchecked). */
export const ResponsesInput = z.union([z.string(), z.array(z.unknown())]);
export type ResponsesInput = z.infer<typeof ResponsesInput>;

/** Body of `POST {responses_base}/v1/responses`. */
export const ResponsesRequest = z.looseObject({
  model: z.string(),
  input: ResponsesInput,
  stream: z.optional(z.boolean()),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequest>;

/** WebSocket client text frame asking for a response. */
export const ResponseCreateMessage = z.looseObject({
  type: z.literal('response.create'),
  model: z.string(),
  input: ResponsesInput,
});
export type ResponseCreateMessage = z.infer<typeof ResponseCreateMessage>;

/**
 * The stream a client reads (SPEC §3.8), modelled liberally: only the fields a client needs are
 * required, indexes, `sequence_number` and `usage` are optional, unknown fields pass through, and
 * event types beyond these are skipped by `decodeResponseStreamEvent`.
 */

const Index = z.int().check(z.nonnegative());

/** Where a piece of text sits in the response; every field optional. */
const TextPosition = {
  item_id: z.optional(z.string()),
  output_index: z.optional(Index),
  content_index: z.optional(Index),
};

export const ResponseUsage = z.looseObject({
  input_tokens: Index,
  output_tokens: Index,
  total_tokens: Index,
  input_tokens_details: z.nullish(z.looseObject({ cached_tokens: z.optional(Index) })),
  output_tokens_details: z.nullish(z.looseObject({ reasoning_tokens: z.optional(Index) })),
});
export type ResponseUsage = z.infer<typeof ResponseUsage>;

/** `error` of a failed Response, or of an `error` event's nested form. */
export const ResponseErrorDetail = z.looseObject({
  code: z.nullish(z.string()),
  message: z.nullish(z.string()),
});
export type ResponseErrorDetail = z.infer<typeof ResponseErrorDetail>;

/** One part of a message's `content`; only `output_text` parts carry answer text. */
export const OutputTextContent = z.looseObject({
  type: z.literal('output_text'),
  text: z.string(),
});
export type OutputTextContent = z.infer<typeof OutputTextContent>;

/** An item of a Response's `output` (a message, a reasoning item, a tool call…). */
export const ResponseOutputItem = z.looseObject({
  type: z.string(),
  id: z.optional(z.string()),
  role: z.optional(z.string()),
  content: z.optional(z.array(z.unknown())),
});
export type ResponseOutputItem = z.infer<typeof ResponseOutputItem>;

/** A Response object: `output` is an array on the real API, `output_text` never on the wire. */
export const ResponseObject = z.looseObject({
  id: z.optional(z.string()),
  status: z.optional(z.string()),
  model: z.optional(z.string()),
  output: z.optional(z.array(z.unknown())),
  usage: z.nullish(ResponseUsage),
  error: z.nullish(ResponseErrorDetail),
  incomplete_details: z.nullish(z.looseObject({ reason: z.nullish(z.string()) })),
});
export type ResponseObject = z.infer<typeof ResponseObject>;

/** A stream event: its `type`, its own `fields`, and the `sequence_number` any event may carry. */
function streamEvent<const T extends string, const F extends z.core.$ZodShape>(type: T, fields: F) {
  return z.looseObject({ type: z.literal(type), ...fields, sequence_number: z.optional(Index) });
}

/** The fields of the events that carry the response as it stands. */
const ResponseState = { response: z.optional(ResponseObject) };

export const ResponseCreatedEvent = streamEvent('response.created', ResponseState);
export type ResponseCreatedEvent = z.infer<typeof ResponseCreatedEvent>;
export const ResponseInProgressEvent = streamEvent('response.in_progress', ResponseState);
export type ResponseInProgressEvent = z.infer<typeof ResponseInProgressEvent>;
export const ResponseCompletedEvent = streamEvent('response.completed', ResponseState);
export type ResponseCompletedEvent = z.infer<typeof ResponseCompletedEvent>;
export const ResponseFailedEvent = streamEvent('response.failed', ResponseState);
export type ResponseFailedEvent = z.infer<typeof ResponseFailedEvent>;
export const ResponseIncompleteEvent = streamEvent('response.incomplete', ResponseState);
export type ResponseIncompleteEvent = z.infer<typeof ResponseIncompleteEvent>;

/** The fields of the events about one output item. */
const OutputItemState = { item: ResponseOutputItem, output_index: z.optional(Index) };

export const OutputItemAddedEvent = streamEvent('response.output_item.added', OutputItemState);
export type OutputItemAddedEvent = z.infer<typeof OutputItemAddedEvent>;
export const OutputItemDoneEvent = streamEvent('response.output_item.done', OutputItemState);
export type OutputItemDoneEvent = z.infer<typeof OutputItemDoneEvent>;

const ContentPart = z.looseObject({ type: z.string(), text: z.optional(z.string()) });

/** The fields of the events about one content part. */
const ContentPartState = { part: ContentPart, ...TextPosition };

export const ContentPartAddedEvent = streamEvent('response.content_part.added', ContentPartState);
export type ContentPartAddedEvent = z.infer<typeof ContentPartAddedEvent>;
export const ContentPartDoneEvent = streamEvent('response.content_part.done', ContentPartState);
export type ContentPartDoneEvent = z.infer<typeof ContentPartDoneEvent>;

export const OutputTextDeltaEvent = streamEvent('response.output_text.delta', { delta: z.string(), ...TextPosition });
export type OutputTextDeltaEvent = z.infer<typeof OutputTextDeltaEvent>;

export const OutputTextDoneEvent = streamEvent('response.output_text.done', { text: z.string(), ...TextPosition });
export type OutputTextDoneEvent = z.infer<typeof OutputTextDoneEvent>;

/**
 * An `error` event: `{code, message}` on the SSE stream, `{error: {code, message}}` (and a
 * `status`) on a WebSocket.
 */
export const ResponseErrorEvent = streamEvent('error', {
  code: z.nullish(z.string()),
  message: z.nullish(z.string()),
  error: z.nullish(ResponseErrorDetail),
});
export type ResponseErrorEvent = z.infer<typeof ResponseErrorEvent>;

/** One event of the stream: an SSE `data:` payload, or one WebSocket text frame. */
export const ResponseStreamEvent = z.discriminatedUnion('type', [
  ResponseCreatedEvent,
  ResponseInProgressEvent,
  OutputItemAddedEvent,
  ContentPartAddedEvent,
  OutputTextDeltaEvent,
  OutputTextDoneEvent,
  ContentPartDoneEvent,
  OutputItemDoneEvent,
  ResponseCompletedEvent,
  ResponseFailedEvent,
  ResponseIncompleteEvent,
  ResponseErrorEvent,
]);
export type ResponseStreamEvent = z.infer<typeof ResponseStreamEvent>;

/** Why a downstream request was refused (`error.code` of a 401 body). */
export const DownstreamRejectionCode = z.enum([
  'missing_authorization',
  'malformed_assertion',
  'unknown_agent',
  'unknown_task',
  'task_invalid',
  'bad_signature',
  'expired',
  'from_future',
  'invalid_token',
  'account_mismatch',
]);
export type DownstreamRejectionCode = z.infer<typeof DownstreamRejectionCode>;

/** Body of a 401 from the downstream endpoint: `{"error": {"code", "message"}}`. */
export const DownstreamErrorBody = z.object({
  error: z.looseObject({
    code: DownstreamRejectionCode,
    message: z.string(),
  }),
});
export type DownstreamErrorBody = z.infer<typeof DownstreamErrorBody>;
