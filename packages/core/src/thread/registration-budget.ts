import { CoreError } from '../runtime/errors.js';

/**
 * The most task registrations (`POST …/task/register`) one turn sends, whatever happens: 6.
 *
 * Four places may register again within one turn — the thread when the identity rotated during
 * registration (SPEC §4.4 step 3), the identity manager when the backend does not know the agent,
 * the backend client when a timestamp refusal corrected the clock, and the retry policy on 429/5xx
 * (3 attempts by default). Nested, they would allow 2 × 2 × 2 × 3 = 24 sends; instead they all
 * spend from one budget per turn, which fits one full run of the default retry policy plus one
 * recovery of any kind with its own retries (3 + 3). A downstream refusal that re-registers
 * (`DownstreamRequest.afterRefusal`) begins a new turn, so one downstream request costs at most
 * twice this.
 */
export const MAX_TASK_REGISTRATIONS_PER_TURN = 6;

/**
 * What one turn may still spend on task registrations, spent before each send, and how long the
 * turn's caller waits for them: its `signal` aborts the turn's sends and retry sleeps.
 */
export class RegistrationBudget {
  readonly max: number;
  /** The turn caller's signal (`beginTurn({ signal })`); `undefined`: nobody cancels. */
  readonly signal: AbortSignal | undefined;
  #spent = 0;

  constructor(max: number = MAX_TASK_REGISTRATIONS_PER_TURN, signal?: AbortSignal) {
    this.max = max;
    this.signal = signal;
  }

  /** How many task registrations this turn sent. */
  get spent(): number {
    return this.#spent;
  }

  /**
   * Counts one send; throws `TASK_REGISTRATION_BUDGET_SPENT` (not retryable) when none is left, and
   * the signal's reason once the caller aborted.
   */
  spend(): void {
    this.signal?.throwIfAborted();
    if (this.#spent >= this.max) {
      throw new CoreError(
        'TASK_REGISTRATION_BUDGET_SPENT',
        `agent task registration was attempted ${this.max} times in this turn; giving up until the next turn`,
        { isRetryable: false },
      );
    }
    this.#spent += 1;
  }
}
