import type { DownstreamRejectionCode } from '@agent-identity/protocol';
import type { FaultEndpoint } from './faults.js';
import type { RegistrationProfile } from './registration-profile.js';

export interface DownstreamCounters {
  accepted: number;
  rejected: Partial<Record<DownstreamRejectionCode, number>>;
}

/** Registrations through one profile's routes. */
export interface ProfileRegistrationCounters {
  agents: number;
  tasks: number;
}

/** What the backend has done since start (or the last reset). Not persisted. */
export interface BackendCounters {
  biscuitsMinted: number;
  /** Agent registrations through both profiles' routes. */
  agentRegistrations: number;
  /** Task registrations through both profiles' routes. */
  taskRegistrations: number;
  /** The same, by the profile whose route took them. */
  registrationsByProfile: Record<RegistrationProfile, ProfileRegistrationCounters>;
  /** Identity JWTs minted through the admin API (each registered its agent directly). */
  identityJwtsMinted: number;
  faultsApplied: Partial<Record<FaultEndpoint, number>>;
  downstream: { http: DownstreamCounters; ws: DownstreamCounters };
}

export type DownstreamTransport = 'http' | 'ws';

function emptyCounters(): BackendCounters {
  return {
    biscuitsMinted: 0,
    agentRegistrations: 0,
    taskRegistrations: 0,
    registrationsByProfile: { 'codex-0.122': { agents: 0, tasks: 0 }, 'codex-current': { agents: 0, tasks: 0 } },
    identityJwtsMinted: 0,
    faultsApplied: {},
    downstream: { http: { accepted: 0, rejected: {} }, ws: { accepted: 0, rejected: {} } },
  };
}

export class CounterBoard {
  #counters = emptyCounters();

  biscuitMinted(): void {
    this.#counters.biscuitsMinted += 1;
  }

  agentRegistered(profile: RegistrationProfile): void {
    this.#counters.agentRegistrations += 1;
    this.#counters.registrationsByProfile[profile].agents += 1;
  }

  taskRegistered(profile: RegistrationProfile): void {
    this.#counters.taskRegistrations += 1;
    this.#counters.registrationsByProfile[profile].tasks += 1;
  }

  identityJwtMinted(): void {
    this.#counters.identityJwtsMinted += 1;
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
