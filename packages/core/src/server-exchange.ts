import type { BackendClock } from './backend-clock.js';

/**
 * One request to a server that checks our signed timestamps (a downstream HTTP request, a
 * WebSocket handshake), timed on the runtime's local clock so that the `Date` of its answer can
 * correct the clock the runtime signs with (`BackendClock`'s rule, as for backend answers).
 *
 * Begin it (`thread.beginServerExchange()`) right before the request's `Authorization` is built,
 * so that it records the clock offset the request is signed with; call
 * {@link observeServerDate} when the answer's head arrives. A refusal for the timestamp
 * (`expired`, `from_future`) is worth one more try exactly when {@link clockCorrected}: the offset
 * now differs from the one the request was signed with — whether this answer moved it or another
 * answer did meanwhile (concurrent requests refused alike all retry, not only the first).
 */
export class ServerExchange {
  /** When the request was sent, on the local clock (the runtime's `now`), epoch milliseconds. */
  readonly sentAtMs: number;
  /** The clock offset in force when the exchange began: the one the request was signed with. */
  readonly signedWithOffsetMs: number;
  readonly #clock: BackendClock;

  /** @internal Made by `beginServerExchange()` of a runtime or thread. */
  constructor(clock: BackendClock) {
    this.#clock = clock;
    this.sentAtMs = clock.localNow();
    this.signedWithOffsetMs = clock.offsetMs;
  }

  /**
   * Learns from the answer's `Date` header (`null`/`undefined`: the answer had none, nothing is
   * learned), taking now as the time its head arrived. One `Date.parse`: cheap enough for every
   * answer, and it never touches the body.
   */
  observeServerDate(dateHeader: string | null | undefined): void {
    this.#clock.observe(dateHeader ?? null, this.sentAtMs, this.#clock.localNow());
  }

  /** Whether the clock offset differs from the one the request was signed with. */
  get clockCorrected(): boolean {
    return this.#clock.offsetMs !== this.signedWithOffsetMs;
  }
}
