import type { BackendCounters, BackendAdminClient } from '@agent-identity/reference-backend';
import type { RegistrationCounts } from '../registration-counter.js';

/** What the demo's table counts. */
export interface DemoCounts {
  readonly identityRegistrations: number;
  readonly taskRegistrations: number;
  /** Downstream requests and WebSocket handshakes accepted. */
  readonly requestsAccepted: number;
  /** Downstream requests and handshakes refused (401). */
  readonly requestsRefused: number;
}

export const NO_COUNTS: DemoCounts = {
  identityRegistrations: 0,
  taskRegistrations: 0,
  requestsAccepted: 0,
  requestsRefused: 0,
};

export interface CounterSource {
  /** Where the numbers come from, for the table's caption. */
  readonly origin: string;
  snapshot(): Promise<DemoCounts>;
}

export function countsBetween(before: DemoCounts, after: DemoCounts): DemoCounts {
  return {
    identityRegistrations: after.identityRegistrations - before.identityRegistrations,
    taskRegistrations: after.taskRegistrations - before.taskRegistrations,
    requestsAccepted: after.requestsAccepted - before.requestsAccepted,
    requestsRefused: after.requestsRefused - before.requestsRefused,
  };
}

/** The backend's own counters (`GET /_admin/counters`): the truth, whoever made the calls. */
export class BackendCounterSource implements CounterSource {
  readonly origin = "the backend's counters (GET /_admin/counters)";
  readonly #admin: BackendAdminClient;

  constructor(admin: BackendAdminClient) {
    this.#admin = admin;
  }

  async snapshot(): Promise<DemoCounts> {
    return demoCounts(await this.#admin.counters());
  }
}

export function demoCounts(counters: BackendCounters): DemoCounts {
  const { http, ws } = counters.downstream;
  const refused = (rejected: Record<string, number>): number => Object.values(rejected).reduce((sum, n) => sum + n, 0);
  return {
    identityRegistrations: counters.agentRegistrations,
    taskRegistrations: counters.taskRegistrations,
    requestsAccepted: http.accepted + ws.accepted,
    requestsRefused: refused(http.rejected) + refused(ws.rejected),
  };
}

/**
 * For a backend without an admin API: what the demo's processes counted themselves — the
 * registrations each runtime's `fetch` saw succeed, and the model calls each turn made.
 */
export class ClientCounterSource implements CounterSource {
  readonly origin = "the demo's own count (this backend has no admin API)";
  readonly #inProcess: () => RegistrationCounts;
  #children: DemoCounts = NO_COUNTS;

  constructor(inProcess: () => RegistrationCounts) {
    this.#inProcess = inProcess;
  }

  /** Adds what a child process reported, or a model call this process made. */
  add(counts: Partial<DemoCounts>): void {
    const current = this.#children;
    this.#children = {
      identityRegistrations: current.identityRegistrations + (counts.identityRegistrations ?? 0),
      taskRegistrations: current.taskRegistrations + (counts.taskRegistrations ?? 0),
      requestsAccepted: current.requestsAccepted + (counts.requestsAccepted ?? 0),
      requestsRefused: current.requestsRefused + (counts.requestsRefused ?? 0),
    };
  }

  snapshot(): Promise<DemoCounts> {
    const own = this.#inProcess();
    return Promise.resolve({
      ...this.#children,
      identityRegistrations: this.#children.identityRegistrations + own.identity,
      taskRegistrations: this.#children.taskRegistrations + own.task,
    });
  }
}
