import type { AgentIdentityErrorEvent, AgentThread, TurnAuth, TurnAuthHeaders } from '@agent-identity/core';
import { ApiBridgeError } from './api-bridge-error.js';

/** The header a downstream credential travels in, lowercase as `Headers` reports names. */
export const AUTHORIZATION_HEADER = 'authorization';

/**
 * What a downstream request authenticates with (SPEC §3.6, §4.7): an `AgentAssertion` for a task
 * (with `ChatGPT-Account-ID` beside it only in the `codex-current` profile), else bearer auth. Every method builds fresh values, so an
 * assertion carries the current second.
 */
export interface AuthHeaderProvider {
  /** Always `'authorization'`. */
  readonly headerName: typeof AUTHORIZATION_HEADER;
  /** The auth context the next request uses. */
  turnAuth(): Promise<TurnAuth>;
  /**
   * Fresh headers, lowercase names: `authorization` (+ `chatgpt-account-id` for bearer auth of a
   * ChatGPT login with an account, and beside an assertion in the `codex-current` profile); `{}`
   * when nobody is logged in.
   */
  headers(): Promise<TurnAuthHeaders>;
  /** Whether a request gets an `Authorization` header: `false` only when nobody is logged in. */
  attachesHeader(): Promise<boolean>;
  /**
   * The whole `Authorization` value (`AgentAssertion …` or `Bearer …`) for services that take a
   * raw value (file uploads…), or `undefined`. Never prefix `Bearer ` to anything yourself.
   */
  authorizationValue(): Promise<string | undefined>;
}

/** The provider of one turn's auth context: always its task, or always bearer auth. */
export function turnHeaderProvider(turnAuth: TurnAuth): AuthHeaderProvider {
  return new TurnAuthHeaderProvider(() => Promise.resolve(turnAuth));
}

/**
 * The provider of a thread's current state: every call begins from `thread.beginTurn()`, awaiting
 * the task (registering one if there is none, SPEC §4.4) and following the thread when its task
 * changes. Rejects with `ApiBridgeError` `TASK_REGISTRATION_FAILED` when registration fails.
 */
export function threadHeaderProvider(thread: AgentThread): AuthHeaderProvider {
  return new TurnAuthHeaderProvider(() => beginTurnAuth(thread));
}

/**
 * `thread.beginTurn()`'s auth context; its failure as `ApiBridgeError` `TASK_REGISTRATION_FAILED`
 * with core's turn error text (core has already sent the event to `onEvent`).
 */
export async function beginTurnAuth(thread: AgentThread): Promise<TurnAuth> {
  const turn = await thread.beginTurn();
  if (turn.ok) return turn.auth;
  throw registrationFailure(turn.event);
}

/** A failed turn's event as `ApiBridgeError` `TASK_REGISTRATION_FAILED`, core's text and cause kept. */
export function registrationFailure(event: AgentIdentityErrorEvent): ApiBridgeError {
  return new ApiBridgeError('TASK_REGISTRATION_FAILED', event.message, { cause: event.cause });
}

class TurnAuthHeaderProvider implements AuthHeaderProvider {
  readonly headerName = AUTHORIZATION_HEADER;
  readonly #resolve: () => Promise<TurnAuth>;

  constructor(resolve: () => Promise<TurnAuth>) {
    this.#resolve = resolve;
  }

  turnAuth(): Promise<TurnAuth> {
    return this.#resolve();
  }

  async headers(): Promise<TurnAuthHeaders> {
    return (await this.#resolve()).headers();
  }

  async attachesHeader(): Promise<boolean> {
    return (await this.#resolve()).scheme !== 'none';
  }

  async authorizationValue(): Promise<string | undefined> {
    return (await this.#resolve()).authorizationHeader();
  }
}
