import type { Logger } from '../runtime/logger.js';

/**
 * Skews up to this are left alone. A `Date` header names whole seconds and a round trip blurs the
 * moment it was written, so small measurements are noise; and the backend's window is ±300 s, so
 * a clock within 30 s of the backend's needs no help.
 */
export const CLOCK_SKEW_THRESHOLD_MS = 30_000;

/**
 * Measurements beyond this are ignored (SPEC §5, security rules: the correction is bounded). A
 * shift of Δ dates every signature Δ ahead, and a verifier accepts it until Δ + 300 s after it was
 * signed: 15 minutes keeps a captured header's life within 20 minutes, yet heals the clocks that
 * drift or sleep past the ±300 s window. A clock further off is broken, not skewed: it is warned
 * about and signs as it is (core README: *Clock skew correction*).
 */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * A `Date` header is the server's time cut to the second: the true time lies in that second, so
 * two measurements of one skew differ by up to about this much.
 */
const DATE_RESOLUTION_MS = 1_000;

export interface BackendClockOptions {
  /** The local clock, epoch milliseconds. */
  readonly now: () => number;
  /** Off: nothing is learned and the offset stays 0. */
  readonly enabled: boolean;
  readonly logger: Logger;
}

/**
 * The backend's time as this process best knows it: the local clock plus the offset learned from
 * the `Date` header of every identity-backend response, and of nothing else — never a downstream
 * service's (SPEC §5, security rules: a downstream must not make us sign in the future) (beyond Codex, which signs with the local clock, so
 * a laptop 6 minutes off fails every registration and assertion). The timestamps we sign use it.
 *
 * Rule (`observe`): skew = (the header's second + ½ s) − the midpoint of the local send and
 * receive times. More than {@link MAX_CLOCK_SKEW_MS} off → ignored (warned once). Within
 * {@link CLOCK_SKEW_THRESHOLD_MS} → the offset is 0 (the clocks agree; this also lifts a
 * correction once the local clock is fixed). Otherwise the offset is that skew: the latest
 * measurement wins, since a clock that jumped (sleep, a manual change, an NTP step) is described
 * by the newest response, not by an average that includes the old clock — unless it is within
 * 1 s of the offset in force, which is the header's own resolution (moving would follow noise).
 */
export class BackendClock {
  /** The local clock this corrects. */
  readonly localNow: () => number;
  readonly #enabled: boolean;
  readonly #logger: Logger;
  #offsetMs = 0;
  #correctedBefore = false;
  #warnedImplausible = false;

  constructor(options: BackendClockOptions) {
    this.localNow = options.now;
    this.#enabled = options.enabled;
    this.#logger = options.logger;
  }

  /** The backend's time, epoch milliseconds: the local clock plus {@link offsetMs}. */
  readonly now = (): number => this.localNow() + this.#offsetMs;

  /** Backend time minus local time, in milliseconds; 0 while no correction applies. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Learns from one response: its `Date` header (`null` when it had none) and the local times the
   * request was sent and its response headers arrived.
   */
  observe(dateHeader: string | null, sentAtMs: number, receivedAtMs: number): void {
    if (!this.#enabled || dateHeader === null) return;
    const dateMs = Date.parse(dateHeader);
    if (Number.isNaN(dateMs)) return;
    const skewMs = Math.round(dateMs + DATE_RESOLUTION_MS / 2 - (sentAtMs + receivedAtMs) / 2);
    if (Math.abs(skewMs) > MAX_CLOCK_SKEW_MS) {
      this.#ignoreImplausible(dateHeader, skewMs);
      return;
    }
    const offsetMs = Math.abs(skewMs) > CLOCK_SKEW_THRESHOLD_MS ? skewMs : 0;
    if (offsetMs === this.#offsetMs) return;
    if (offsetMs !== 0 && this.#offsetMs !== 0 && Math.abs(offsetMs - this.#offsetMs) <= DATE_RESOLUTION_MS) return;
    this.#offsetMs = offsetMs;
    if (offsetMs !== 0 && !this.#correctedBefore) {
      this.#correctedBefore = true;
      this.#logger.info("agent identity: the local clock is off the backend's; signing with the backend's time", {
        offsetMs,
      });
    } else {
      this.#logger.debug('agent identity: clock offset updated', { offsetMs });
    }
  }

  #ignoreImplausible(dateHeader: string, skewMs: number): void {
    if (this.#warnedImplausible) return;
    this.#warnedImplausible = true;
    this.#logger.warn('agent identity: ignoring a backend Date header more than 15 min off the local clock', {
      date: dateHeader,
      skewMs,
    });
  }
}
