import type { ResponsesInput, ResponseStreamEvent } from '@agent-identity/protocol';
import type { DownstreamCaller } from './downstream-auth.js';

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

/** `echo: <text> (agent …, task …)` or `echo: <text> (user …)`: the answer says whom it saw. */
export function echoText(input: ResponsesInput, caller: DownstreamCaller): string {
  const seen =
    caller.auth === 'agent_assertion'
      ? `agent ${caller.agentRuntimeId}, task ${caller.taskId}`
      : `user ${caller.user.userId}`;
  return `echo: ${lastUserText(input)} (${seen})`;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

/**
 * The SPEC §3.8 event sequence for one answer: `response.created`, one delta per word (with its
 * trailing space, so the deltas join to the text), the whole message, `response.completed`.
 * Token counts are word counts: enough for a client to show usage.
 */
export function answerEvents(
  text: string,
  inputText: string,
  ids: { responseId: string; itemId: string },
): ResponseStreamEvent[] {
  const deltas = text.match(/\S+\s*|\s+/g) ?? [''];
  const inputTokens = wordCount(inputText);
  const outputTokens = wordCount(text);
  return [
    { type: 'response.created', response: { id: ids.responseId } },
    ...deltas.map((delta): ResponseStreamEvent => ({ type: 'response.output_text.delta', delta })),
    {
      type: 'response.output_item.done',
      item: { type: 'message', role: 'assistant', id: ids.itemId, content: [{ type: 'output_text', text }] },
    },
    {
      type: 'response.completed',
      response: {
        id: ids.responseId,
        output_text: text,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
      },
    },
  ];
}
