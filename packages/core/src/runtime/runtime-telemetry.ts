import {
  Instrumentation,
  type InstrumentDescription,
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

/** The runtime's metric instruments (README: *Telemetry*). */
const CORE_METRICS = {
  registrations: [
    'agent_identity.registrations',
    'Identity and task registrations sent to the identity backend',
    '{registration}',
  ],
  firstTurns: ['agent_identity.turn.first', "Threads' first turns, by whether the prewarmed task was ready", '{turn}'],
  turnTaskWait: ['agent_identity.turn.task_wait', 'How long a turn waited for its task', 'ms'],
  recoveries: [
    'agent_identity.downstream.recoveries',
    'Downstream refusals handled by the recovery rule (SPEC §4.7)',
    '{recovery}',
  ],
} as const satisfies Record<string, readonly [string, string, string]>;

function instrumentOf([name, description, unit]: readonly [string, string, string]): InstrumentDescription {
  return { name, description, unit };
}

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
    this.registrations = instrumentation.counter(instrumentOf(CORE_METRICS.registrations));
    this.firstTurns = instrumentation.counter(instrumentOf(CORE_METRICS.firstTurns));
    this.turnTaskWait = instrumentation.histogram(instrumentOf(CORE_METRICS.turnTaskWait));
    this.recoveries = instrumentation.counter(instrumentOf(CORE_METRICS.recoveries));
  }
}
