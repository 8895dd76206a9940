import type { ResponsesInput } from '@agent-identity/protocol';
import type { BackendContext } from './backend-context.js';
import type { DownstreamCaller } from './downstream-auth.js';
import { newResponseIds } from './random-ids.js';
import { answerEvents, inputTokenCount, type AnswerPlan, type ReferenceStreamEvent } from './response-stream.js';

/**
 * The text of the newest user message: a string input itself, else the last input item with
 * role `user`, its `content` a string or parts with `text` (`input_text`), joined.
 */
export function lastUserText(input: ResponsesInput): string {
  if (typeof input === 'string') return input;
  for (let index = input.length - 1; index >= 0; index -= 1) {
    const item = input[index];
    if (typeof item === 'string') return item;
    if (typeof item !== 'object' || item === null || (item as { role?: unknown }).role !== 'user') continue;
    const content = (item as { content?: unknown }).content;
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    return content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
          ? (part as { text: string }).text
          : '',
      )
      .join('');
  }
  return '';
}

/**
 * The most of the user's text an answer echoes, in UTF-16 units; longer text is cut and ends
 * in `…`. With `MAX_DELTAS` it bounds what one request can make the backend send (issue 11 item 3:
 * a 64 KB request became a 3 MB stream).
 */
export const MAX_ECHOED_CHARS = 2_048;

function bounded(text: string): string {
  return text.length <= MAX_ECHOED_CHARS ? text : `${text.slice(0, MAX_ECHOED_CHARS)}…`;
}

/** `echo: <text> (agent …, task …)` or `echo: <text> (user …)`: the answer says whom it saw. */
export function echoText(input: ResponsesInput, caller: DownstreamCaller): string {
  const seen =
    caller.auth === 'agent_assertion'
      ? `agent ${caller.agentRuntimeId}, task ${caller.taskId}`
      : `user ${caller.user.userId}`;
  return `echo: ${bounded(lastUserText(input))} (${seen})`;
}

/**
 * The events of the echo answer to one request (SPEC §3.8), from the one builder both transports
 * use; with `failMidStream` (the `response_failed` fault) the stream ends in `response.failed`.
 */
export function echoAnswerEvents(
  request: { readonly model: string; readonly input: ResponsesInput },
  caller: DownstreamCaller,
  context: BackendContext,
  failMidStream: boolean,
): ReferenceStreamEvent[] {
  const plan: AnswerPlan = {
    ...newResponseIds(context.options.randomBytes),
    model: request.model,
    createdAt: Math.floor(context.options.now() / 1000),
    text: echoText(request.input, caller),
    inputTokens: inputTokenCount(lastUserText(request.input)),
  };
  return answerEvents(plan, { failMidStream });
}
