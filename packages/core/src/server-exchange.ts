import type { BackendClock } from './backend-clock.js';

/**
 * One request to a server that checks our signed timestamps (a downstream HTTP request, a
 * WebSocket handshake). Its answer's `Date` never moves the signing clock: only the identity
 * backend's answers do (SPEC §5, security rules), or a downstream could make us sign assertions
 * dated in the future.
 *
 * Begin it (`thread.beginServerExchange()`) right before the request's `Authorization` is built,
 * so that it records the clock offset the request is signed with. A refusal for the timestamp
 * (`expired`, `from_future`) is worth one more try exactly when {@link clockCorrected}: an identity
 * backend answer (a registration meanwhile) moved the offset since the request was signed.
 */
export class ServerExchange {
  /** The clock offset in force when the exchange began: the one the request was signed with. */
  readonly signedWithOffsetMs: number;
  readonly #clock: BackendClock;

  /** @internal Made by `beginServerExchange()` of a runtime or thread. */
  constructor(clock: BackendClock) {
    this.#clock = clock;
    this.signedWithOffsetMs = clock.offsetMs;
  }

  /** Whether the clock offset differs from the one the request was signed with. */
  get clockCorrected(): boolean {
    return this.#clock.offsetMs !== this.signedWithOffsetMs;
  }
}
