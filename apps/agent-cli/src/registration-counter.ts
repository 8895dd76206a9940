import type { FetchFunction } from '@agent-identity/core';

/** Registrations this process made, as the backend answered them (SPEC §3.3, §3.4). */
export interface RegistrationCounts {
  readonly identity: number;
  readonly task: number;
}

const IDENTITY_REGISTRATION = /\/v1\/agent\/register$/;
const TASK_REGISTRATION = /\/v1\/agent\/[^/]+\/task\/register$/;

/**
 * Counts the successful registration calls that go through the runtime's `fetch`: the client's
 * own proof of "zero registrations", which works against any backend (the reference backend's
 * admin counters say the same from the other side).
 */
export class RegistrationCounter {
  #identity = 0;
  #task = 0;

  get counts(): RegistrationCounts {
    return { identity: this.#identity, task: this.#task };
  }

  /** `fetch` that counts the 2xx registration answers it passes on. */
  countingFetch(fetch: FetchFunction): FetchFunction {
    return async (input, init) => {
      const response = await fetch(input, init);
      if (response.ok) this.#count(new URL(input).pathname);
      return response;
    };
  }

  #count(path: string): void {
    if (IDENTITY_REGISTRATION.test(path)) this.#identity += 1;
    else if (TASK_REGISTRATION.test(path)) this.#task += 1;
  }
}
