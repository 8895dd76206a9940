import { Instrumentation, type TelemetryCounter, type TelemetryOptions } from '@agent-identity/protocol';

/** The span of one dial: its handshake and, after a healed refusal, the one handshake more (README: *Telemetry*). */
export const DIAL_SPAN = 'agent_identity.ws.dial';

/** Why a checkout dialed: no socket of its auth context yet, or the pooled one was too old to hand out. */
export type DialCause = 'new_context' | 'rotation';

/** A socket pool's spans and metrics; silent without providers. */
export class PoolTelemetry {
  readonly #instrumentation: Instrumentation;
  /** Sockets dialed and not yet closed, pooled or leased. */
  readonly socketsOpen: TelemetryCounter;
  /** Pooled sockets retired while open, by `reason` (`rotated`, `auth_context_changed`, `pool_closed`). */
  readonly retirements: TelemetryCounter;

  constructor(options: TelemetryOptions | undefined) {
    this.#instrumentation = new Instrumentation('@agent-identity/transport-ws', options);
    this.socketsOpen = this.#instrumentation.upDownCounter({
      name: 'agent_identity.ws.sockets_open',
      description: 'WebSockets dialed by agent socket pools and not yet closed',
      unit: '{socket}',
    });
    const retirements = this.#instrumentation.counter({
      name: 'agent_identity.ws.retirements',
      description: 'Pooled WebSockets retired while open, by reason',
      unit: '{socket}',
    });
    this.retirements = {
      add: (value, attributes) => {
        const reason = attributes?.reason;
        retirements.add(value, typeof reason === 'string' ? { reason: reason.replaceAll(' ', '_') } : attributes);
      },
    };
  }

  /** Runs `connect` in a dial span; it counts its handshakes in the object it is given. */
  dial<T>(cause: DialCause, connect: (handshakes: { count: number }) => Promise<T>): Promise<T> {
    return this.#instrumentation.span(DIAL_SPAN, { 'agent_identity.ws.dial.cause': cause }, async (span) => {
      const handshakes = { count: 0 };
      try {
        return await connect(handshakes);
      } finally {
        span.set({ 'agent_identity.ws.handshakes': handshakes.count });
      }
    });
  }
}
