import {
  Instrumentation,
  type TelemetryCounter,
  type TelemetryHistogram,
  type TelemetryOptions,
} from '@agent-identity/protocol';
import { CORE_VERSION } from './version.js';

/** The runtime's span names (README: *Telemetry*). */
export const CORE_SPANS = {
  identityEnsure: 'agent_identity.identity.ensure',
  taskRegister: 'agent_identity.task.register',
  prewarm: 'agent_identity.prewarm',
  beginTurn: 'agent_identity.turn.begin',
  downstreamRecovery: 'agent_identity.downstream.recovery',
} as const;

/**
 * How a turn came by its task: `cached` (prewarm, or an earlier turn, had it ready), `waited`
 * (a registration under way — prewarm — finished while the turn waited), `registered` (the turn
 * registered it), `none` (bearer auth: feature off, no login, fallback), `failed`.
 */
export type TurnTaskSource = 'cached' | 'waited' | 'registered' | 'none' | 'failed';

/** The runtime's spans and metric instruments; silent without providers. */
export class RuntimeTelemetry {
  readonly instrumentation: Instrumentation;
  /** Identity and task registrations sent to the backend, by `kind` and `outcome`. */
  readonly registrations: TelemetryCounter;
  /** Each thread's first turn, by `prewarm_hit`: the prewarm hit ratio. */
  readonly firstTurns: TelemetryCounter;
  /** How long a turn waited for its task (ms), by task `source`. */
  readonly turnTaskWait: TelemetryHistogram;
  /** Downstream refusals handled by the recovery rule, by `cause` and `outcome`. */
  readonly recoveries: TelemetryCounter;

  constructor(options: TelemetryOptions | undefined) {
    const instrumentation = new Instrumentation('@agent-identity/core', options, CORE_VERSION);
    this.instrumentation = instrumentation;
    this.registrations = instrumentation.counter({
      name: 'agent_identity.registrations',
      description: 'Identity and task registrations sent to the identity backend',
      unit: '{registration}',
    });
    this.firstTurns = instrumentation.counter({
      name: 'agent_identity.turn.first',
      description: "Threads' first turns, by whether the prewarmed task was ready",
      unit: '{turn}',
    });
    this.turnTaskWait = instrumentation.histogram({
      name: 'agent_identity.turn.task_wait',
      description: 'How long a turn waited for its task',
      unit: 'ms',
    });
    this.recoveries = instrumentation.counter({
      name: 'agent_identity.downstream.recoveries',
      description: 'Downstream refusals handled by the recovery rule (SPEC §4.7)',
      unit: '{recovery}',
    });
  }
}
