import { createAgentFetch, recoveryErrorOf } from '@agent-identity/api-bridge';
import type { AgentTask, AgentThread, TurnAuth } from '@agent-identity/core';
import {
  decodeResponseStreamEvent,
  DownstreamErrorBody,
  SseDecoder,
  type ResponsesInput,
  type ResponseStreamEvent,
} from '@agent-identity/protocol';
import { CliError } from './cli-error.js';
import { collectAnswer, type DeltaListener, type ModelAnswer } from './model-answer.js';

export interface HttpModelCall {
  /** `{responses base}/v1/responses`. */
  readonly url: string;
  readonly model: string;
  readonly input: ResponsesInput;
  readonly onDelta: DeltaListener;
  /** Aborts the request and its answer (the turn's model-call deadline). */
  readonly signal: AbortSignal;
}

/**
 * The model call of one turn over HTTP with Server-Sent Events. `createAgentFetch` puts a fresh
 * `Authorization` on the request (an `AgentAssertion` for the turn's task) and, if the service
 * says the task is invalid, invalidates it, registers a new one and retries once (SPEC §4.7).
 */
export async function callModelOverHttp(
  thread: AgentThread,
  turn: TurnAuth,
  call: HttpModelCall,
): Promise<ModelAnswer> {
  let recovered: { from: AgentTask; to: AgentTask | undefined } | undefined;
  const agentFetch = createAgentFetch(thread, {
    turn,
    onRecovery: (event) => {
      if (event.outcome === 'retried') recovered = { from: event.invalidTask, to: event.task };
    },
  });

  const response = await agentFetch(call.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ model: call.model, input: call.input, stream: true }),
    signal: call.signal,
  });
  if (!response.ok || response.body === null) throw await refusal(response, call.url);

  const answer = await collectAnswer(serverSentEvents(response.body), call.onDelta);
  return {
    ...answer,
    task: recovered === undefined ? turn.task : recovered.to,
    recoveredFrom: recovered?.from,
  };
}

async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ResponseStreamEvent> {
  const text = new TextDecoder('utf-8');
  const sse = new SseDecoder();
  for await (const chunk of body) {
    for (const message of sse.push(text.decode(chunk, { stream: true }))) {
      const event = decodeResponseStreamEvent(message.data);
      if (event !== undefined) yield event;
    }
  }
}

/** A non-2xx answer as one sentence: status, the service's error code and message, and why no recovery. */
async function refusal(response: Response, url: string): Promise<CliError> {
  const body = DownstreamErrorBody.safeParse(await response.json().catch(() => undefined));
  const reason = body.success ? `: ${body.data.error.code} (${body.data.error.message})` : '';
  const unrecovered = recoveryErrorOf(response);
  const why = unrecovered === undefined ? '' : `; ${unrecovered.message}`;
  return new CliError('MODEL_REFUSED', `the model endpoint ${url} answered ${response.status}${reason}${why}`);
}
