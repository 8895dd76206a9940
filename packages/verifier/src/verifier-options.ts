import type { TelemetryOptions } from '@agent-identity/protocol';
import type { AgentKeyRegistry, TaskRegistry } from './registries.js';
import { VerifierError } from './verifier-error.js';

export interface AgentVerifierOptions {
  /** Where registered public keys are found. */
  keys: AgentKeyRegistry;
  /** Which tasks exist. Without it any task id is accepted (the signature still covers it). */
  tasks?: TaskRegistry;
  /** Accepted clock difference in each direction. Default 300 (SPEC §4.7). */
  windowSeconds?: number;
  /** The clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Imported public keys kept, least recently used evicted first. Default 10 000. */
  keyCacheSize?: number;
  /** Verified headers (and task-registration claims) kept to skip repeated signature checks; 0 turns it off. Default 4 096. */
  resultCacheSize?: number;
  /**
   * OpenTelemetry providers: a span per verification and a counter of results by reason (README:
   * *Telemetry*). Default: none.
   */
  telemetry?: TelemetryOptions;
}

export interface ResolvedVerifierOptions {
  keys: AgentKeyRegistry;
  tasks: TaskRegistry | undefined;
  windowSeconds: number;
  now: () => number;
  keyCacheSize: number;
  resultCacheSize: number;
  telemetry: TelemetryOptions | undefined;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 0) {
    throw new VerifierError('OPTIONS_INVALID', `${name} must be a non-negative integer`);
  }
  return resolved;
}

export function resolveVerifierOptions(options: AgentVerifierOptions): ResolvedVerifierOptions {
  return {
    keys: options.keys,
    tasks: options.tasks,
    windowSeconds: nonNegativeInteger('windowSeconds', options.windowSeconds, 300),
    now: options.now ?? Date.now,
    keyCacheSize: nonNegativeInteger('keyCacheSize', options.keyCacheSize, 10_000),
    resultCacheSize: nonNegativeInteger('resultCacheSize', options.resultCacheSize, 4_096),
    telemetry: options.telemetry,
  };
}
