import { formatMillisTimestamp, type RolloutLine } from '@agent-identity/protocol';

/*
 * The lines Codex writes for a turn, so a rollout of this CLI reads like a real one: the user's
 * message as a `response_item` (what the model saw) and an `event_msg` (what the UI showed), and
 * the same two for the answer. Their payloads are opaque to agent-identity (SPEC §2.1).
 */

export function userMessageLines(text: string, epochMs: number): RolloutLine[] {
  const timestamp = formatMillisTimestamp(epochMs);
  return [
    {
      timestamp,
      type: 'response_item',
      payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
    },
    { timestamp, type: 'event_msg', payload: { type: 'user_message', message: text, images: [] } },
  ];
}

export function assistantMessageLines(text: string, epochMs: number): RolloutLine[] {
  const timestamp = formatMillisTimestamp(epochMs);
  return [
    {
      timestamp,
      type: 'response_item',
      payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] },
    },
    { timestamp, type: 'event_msg', payload: { type: 'agent_message', message: text } },
  ];
}
