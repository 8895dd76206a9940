import type { DownstreamRejectionCode } from '@agent-identity/protocol';
import type { FaultEndpoint } from './faults.js';

export interface DownstreamCounters {
  accepted: number;
  rejected: Partial<Record<DownstreamRejectionCode, number>>;
}

/** What the backend has done since start (or the last reset). Not persisted. */
export interface BackendCounters {
  biscuitsMinted: number;
  agentRegistrations: number;
  taskRegistrations: number;
  faultsApplied: Partial<Record<FaultEndpoint, number>>;
  downstream: { http: DownstreamCounters; ws: DownstreamCounters };
}

export type DownstreamTransport = 'http' | 'ws';

function emptyCounters(): BackendCounters {
  return {
    biscuitsMinted: 0,
    agentRegistrations: 0,
    taskRegistrations: 0,
    faultsApplied: {},
    downstream: { http: { accepted: 0, rejected: {} }, ws: { accepted: 0, rejected: {} } },
  };
}

export class CounterBoard {
  #counters = emptyCounters();

  biscuitMinted(): void {
    this.#counters.biscuitsMinted += 1;
  }

  agentRegistered(): void {
    this.#counters.agentRegistrations += 1;
  }

  taskRegistered(): void {
    this.#counters.taskRegistrations += 1;
  }

  faultApplied(endpoint: FaultEndpoint): void {
    this.#counters.faultsApplied[endpoint] = (this.#counters.faultsApplied[endpoint] ?? 0) + 1;
  }

  downstreamAccepted(transport: DownstreamTransport): void {
    this.#counters.downstream[transport].accepted += 1;
  }

  downstreamRejected(transport: DownstreamTransport, code: DownstreamRejectionCode): void {
    const rejected = this.#counters.downstream[transport].rejected;
    rejected[code] = (rejected[code] ?? 0) + 1;
  }

  snapshot(): BackendCounters {
    return structuredClone(this.#counters);
  }

  reset(): void {
    this.#counters = emptyCounters();
  }
}
