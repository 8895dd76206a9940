import { z } from 'zod';

/**
 * The downstream model endpoint the reference backend serves (SPEC §3.8): the subset of the
 * Responses API streaming format that agent runtimes parse. Objects are loose so that the richer
 * events of the real API (`sequence_number`, `output_index`, …) parse too.
 */

/** A text prompt, or a list of Responses API input items (passed through unchecked). */
export const ResponsesInput = z.union([z.string(), z.array(z.unknown())]);
export type ResponsesInput = z.infer<typeof ResponsesInput>;

/** Body of `POST {responses_base}/v1/responses`. */
export const ResponsesRequest = z.looseObject({
  model: z.string(),
  input: ResponsesInput,
  stream: z.boolean().optional(),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequest>;

/** WebSocket client text frame asking for a response. */
export const ResponseCreateMessage = z.looseObject({
  type: z.literal('response.create'),
  model: z.string(),
  input: ResponsesInput,
});
export type ResponseCreateMessage = z.infer<typeof ResponseCreateMessage>;

export const ResponseCreatedEvent = z.looseObject({
  type: z.literal('response.created'),
  response: z.looseObject({ id: z.string() }),
});
export type ResponseCreatedEvent = z.infer<typeof ResponseCreatedEvent>;

export const OutputTextDeltaEvent = z.looseObject({
  type: z.literal('response.output_text.delta'),
  delta: z.string(),
});
export type OutputTextDeltaEvent = z.infer<typeof OutputTextDeltaEvent>;

export const OutputTextContent = z.looseObject({
  type: z.literal('output_text'),
  text: z.string(),
});
export type OutputTextContent = z.infer<typeof OutputTextContent>;

/** The whole assistant message, as `response.output_item.done` carries it. */
export const AssistantMessageItem = z.looseObject({
  type: z.literal('message'),
  role: z.literal('assistant'),
  id: z.string(),
  content: z.array(OutputTextContent),
});
export type AssistantMessageItem = z.infer<typeof AssistantMessageItem>;

export const OutputItemDoneEvent = z.looseObject({
  type: z.literal('response.output_item.done'),
  item: AssistantMessageItem,
});
export type OutputItemDoneEvent = z.infer<typeof OutputItemDoneEvent>;

export const ResponseUsage = z.looseObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
});
export type ResponseUsage = z.infer<typeof ResponseUsage>;

export const ResponseCompletedEvent = z.looseObject({
  type: z.literal('response.completed'),
  response: z.looseObject({
    id: z.string(),
    output_text: z.string(),
    usage: ResponseUsage,
  }),
});
export type ResponseCompletedEvent = z.infer<typeof ResponseCompletedEvent>;

/** One event of the stream: an SSE `data:` payload, or one WebSocket text frame. */
export const ResponseStreamEvent = z.discriminatedUnion('type', [
  ResponseCreatedEvent,
  OutputTextDeltaEvent,
  OutputItemDoneEvent,
  ResponseCompletedEvent,
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
