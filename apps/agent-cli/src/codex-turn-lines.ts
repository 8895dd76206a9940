import { formatMillisTimestamp, type RolloutLine } from '@agent-identity/protocol';

/*
 * The lines Codex writes for a turn, so a rollout of this CLI reads like a real one: the user's
 * message as a `response_item` (what the model saw) and an `event_msg` (what the UI showed), and
 * the same two for the answer. Their payloads are opaque to agent-identity (SPEC §2.1).
 */

/** What differs between the user's side of a turn and the model's. */
interface MessageSide {
  readonly role: 'user' | 'assistant';
  readonly contentType: 'input_text' | 'output_text';
  readonly event: (text: string) => Record<string, unknown>;
}

const USER: MessageSide = {
  role: 'user',
  contentType: 'input_text',
  event: (text) => ({ type: 'user_message', message: text, images: [] }),
};

const ASSISTANT: MessageSide = {
  role: 'assistant',
  contentType: 'output_text',
  event: (text) => ({ type: 'agent_message', message: text }),
};

function messageLines(side: MessageSide, text: string, epochMs: number): RolloutLine[] {
  const timestamp = formatMillisTimestamp(epochMs);
  return [
    {
      timestamp,
      type: 'response_item',
      payload: { type: 'message', role: side.role, content: [{ type: side.contentType, text }] },
    },
    { timestamp, type: 'event_msg', payload: side.event(text) },
  ];
}

export function userMessageLines(text: string, epochMs: number): RolloutLine[] {
  return messageLines(USER, text, epochMs);
}

export function assistantMessageLines(text: string, epochMs: number): RolloutLine[] {
  return messageLines(ASSISTANT, text, epochMs);
}
