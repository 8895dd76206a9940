import { ResponseStreamEvent, type SessionAgentTask } from '@agent-identity/protocol';
import { CliError } from './cli-error.js';

/** What one model call produced. */
export interface ModelAnswer {
  readonly responseId: string;
  readonly outputText: string;
  /** The task the answer was authorized with (`undefined`: bearer auth). */
  readonly task: SessionAgentTask | undefined;
  /** The task the service refused as invalid before the call recovered with `task`. */
  readonly recoveredFrom: SessionAgentTask | undefined;
}

/** What the caller sees of a streaming answer: each text delta as it arrives. */
export type DeltaListener = (delta: string) => void;

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(
  ResponseStreamEvent.options.map((option) => option.shape.type.value),
);

/**
 * One event of a Responses stream (SPEC §3.8) from its JSON text; `undefined` for the event types
 * the real API sends beyond the ones modelled here (runtimes skip them).
 */
export function parseResponseEvent(json: string): ResponseStreamEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CliError('MODEL_STREAM_INVALID', 'the model endpoint sent an event that is not JSON');
  }
  const event = ResponseStreamEvent.safeParse(value);
  if (event.success) return event.data;
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !KNOWN_EVENT_TYPES.has(type)) return undefined;
  throw new CliError('MODEL_STREAM_INVALID', `the model endpoint sent an invalid ${String(type)} event`);
}

/** Reads a response's events to `response.completed`, handing each text delta on as it comes. */
export async function collectAnswer(
  events: AsyncIterable<ResponseStreamEvent>,
  onDelta: DeltaListener,
): Promise<{ responseId: string; outputText: string }> {
  for await (const event of events) {
    if (event.type === 'response.output_text.delta') onDelta(event.delta);
    if (event.type === 'response.completed') {
      return { responseId: event.response.id, outputText: event.response.output_text };
    }
  }
  throw new CliError('MODEL_STREAM_INVALID', 'the model stream ended before response.completed');
}
