import type { AgentIdentityErrorEvent, AgentThread, RolloutStore, TurnAuthScheme } from '@agent-identity/core';
import { responsesUrl } from '@agent-identity/protocol';
import type { AgentSocketPool } from '@agent-identity/transport-ws';
import { assistantMessageLines, userMessageLines } from './codex-turn-lines.js';
import { callModelOverHttp } from './http-turn.js';
import type { DeltaListener, ModelAnswer } from './model-answer.js';
import { DEFAULT_MODEL_TIMEOUT_SECONDS, withModelTimeout } from './model-call-timeout.js';
import { callModelOverWebSocket } from './websocket-turn.js';

/** How the model is called: HTTP with SSE, or the thread's WebSocket pool. */
export type TurnTransport = { readonly kind: 'http' } | { readonly kind: 'ws'; readonly pool: AgentSocketPool };

export interface UserTurn {
  readonly thread: AgentThread;
  /** Where the thread's rollout lives (the runtime's store). */
  readonly rollouts: RolloutStore;
  /** The downstream base: the model endpoint is `{base}/v1/responses`. */
  readonly responsesBase: string;
  readonly transport: TurnTransport;
  readonly model: string;
  readonly message: string;
  readonly onDelta: DeltaListener;
  /** Epoch milliseconds, for the rollout lines. Default `Date.now`. */
  readonly now?: () => number;
  /** How long the model call may take (`MODEL_TIMEOUT` after). Default 300. */
  readonly modelTimeoutSeconds?: number;
}

export type TurnResult =
  | ({ readonly ok: true; readonly scheme: TurnAuthScheme } & ModelAnswer)
  /** The task could not be registered: the SPEC §4.6 event; the model was not called. */
  | { readonly ok: false; readonly event: AgentIdentityErrorEvent };

/**
 * One user turn (SPEC §4.6), in Codex's order: the user's message is recorded, the turn awaits the
 * thread's task (`beginTurn()`), the model is called with that turn's auth, the answer is recorded.
 * When the task cannot be registered the turn ends there — the message stays recorded and the next
 * turn tries again.
 */
export async function runUserTurn(turn: UserTurn): Promise<TurnResult> {
  const now = turn.now ?? Date.now;
  await turn.rollouts.append(turn.thread.id, userMessageLines(turn.message, now()));

  const started = await turn.thread.beginTurn();
  if (!started.ok) return { ok: false, event: started.event };
  const auth = started.auth;

  const { transport } = turn;
  const url = transport.kind === 'http' ? responsesUrl(turn.responsesBase) : responsesWebSocketUrl(turn.responsesBase);
  const answer = await withModelTimeout(turn.modelTimeoutSeconds ?? DEFAULT_MODEL_TIMEOUT_SECONDS, url, (signal) => {
    const call = { model: turn.model, input: turn.message, onDelta: turn.onDelta, signal };
    return transport.kind === 'http'
      ? callModelOverHttp(turn.thread, auth, { ...call, url })
      : callModelOverWebSocket(transport.pool, auth, call);
  });

  await turn.rollouts.append(turn.thread.id, assistantMessageLines(answer.outputText, now()));
  return { ok: true, scheme: answer.task === undefined ? auth.scheme : 'assertion', ...answer };
}

/** The WebSocket endpoint of a responses base: the same path, `ws:` / `wss:`. */
export function responsesWebSocketUrl(responsesBase: string): string {
  const url = new URL(responsesUrl(responsesBase));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
