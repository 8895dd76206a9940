import { agentTaskEquals, type TurnAuth } from '@agent-identity/core';
import type { ResponsesInput } from '@agent-identity/protocol';
import { streamResponse, type AgentSocketPool } from '@agent-identity/transport-ws';
import { collectAnswer, type DeltaListener, type ModelAnswer } from './model-answer.js';

export interface WebSocketModelCall {
  readonly model: string;
  readonly input: ResponsesInput;
  readonly onDelta: DeltaListener;
  /** Ends the call (the socket is terminated) at the turn's model-call deadline. */
  readonly signal: AbortSignal;
}

/**
 * The model call of one turn over WebSocket. The pool (one per thread, `createAgentSocketPool`)
 * hands out a socket whose handshake carried this turn's auth — an `AgentAssertion` for the
 * task — and recovers a handshake refused as `task_invalid` with a new task (SPEC §4.7).
 */
export async function callModelOverWebSocket(
  pool: AgentSocketPool,
  turn: TurnAuth,
  call: WebSocketModelCall,
): Promise<ModelAnswer> {
  const lease = await pool.checkout(turn);
  const terminate = (): void => {
    lease.socket.terminate();
  };
  call.signal.addEventListener('abort', terminate, { once: true });
  try {
    const answer = await collectAnswer(
      streamResponse(lease.socket, { model: call.model, input: call.input }),
      call.onDelta,
    );
    const task = lease.auth.task;
    const recovered = turn.task !== undefined && !agentTaskEquals(turn.task, task);
    return { ...answer, task, recoveredFrom: recovered ? turn.task : undefined };
  } finally {
    call.signal.removeEventListener('abort', terminate);
    lease.release();
  }
}
