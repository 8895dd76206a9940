import type { AgentTask } from '@agent-identity/core';
import { ResponseTextAccumulator, type ResponseStreamEvent } from '@agent-identity/protocol';

/** What one model call produced. */
export interface ModelAnswer {
  /** The Response's `id`, when the stream named one. */
  readonly responseId: string | undefined;
  readonly outputText: string;
  /** The task the answer was authorized with (`undefined`: bearer auth). */
  readonly task: AgentTask | undefined;
  /** The task the service refused as invalid before the call recovered with `task`. */
  readonly recoveredFrom: AgentTask | undefined;
}

/** What the caller sees of a streaming answer: each text delta as it arrives. */
export type DeltaListener = (delta: string) => void;

/**
 * Reads one response's events (either transport) with protocol's `ResponseTextAccumulator`
 * (SPEC §3.8): each text delta is handed on as it comes; an answer that came without deltas
 * (only `output_text.done`, `output_item.done` or the completed Response) is handed on whole at
 * the end. A failed, incomplete or cut stream throws the accumulator's `ResponseStreamError`.
 */
export async function collectAnswer(
  events: AsyncIterable<ResponseStreamEvent>,
  onDelta: DeltaListener,
): Promise<{ responseId: string | undefined; outputText: string }> {
  const answer = new ResponseTextAccumulator();
  for await (const event of events) {
    if (event.type === 'response.output_text.delta') onDelta(event.delta);
    if (answer.add(event)) break;
  }
  const { text, source, responseId } = answer.finish();
  if (source !== 'deltas' && text !== '') onDelta(text);
  return { responseId, outputText: text };
}
