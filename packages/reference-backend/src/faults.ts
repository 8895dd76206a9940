import { z } from 'zod';
import { BackendError } from './backend-error.js';

/**
 * The endpoints a fault can target; `responses_ws` is the WebSocket handshake, `authapi_*` the
 * current profile's registrations and `jwks` its key set (CODEX-CURRENT.md).
 */
export const FaultEndpoint = z.enum([
  'biscuit',
  'agent_register',
  'task_register',
  'responses',
  'responses_ws',
  'authapi_agent_register',
  'authapi_task_register',
  'jwks',
]);
export type FaultEndpoint = z.infer<typeof FaultEndpoint>;

/** How one call misbehaves (README "Fault injection"). */
export const Fault = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: z.int().min(200).max(599),
    /** A string is sent verbatim as text; anything else as JSON. */
    body: z.unknown().optional(),
    retryAfterSeconds: z.int().nonnegative().optional(),
  }),
  z.strictObject({ kind: z.literal('delay'), delayMs: z.int().nonnegative().max(600_000) }),
  z.strictObject({ kind: z.literal('hang') }),
  z.strictObject({ kind: z.literal('garbage') }),
  z.strictObject({ kind: z.literal('missing_biscuit') }),
  z.strictObject({ kind: z.literal('reset') }),
  z.strictObject({ kind: z.literal('tamper_sealed_box') }),
  z.strictObject({ kind: z.literal('response_failed') }),
]);
export type Fault = z.infer<typeof Fault>;

/** One queued fault as the admin API lists it. */
export interface PendingFault {
  endpoint: FaultEndpoint;
  fault: Fault;
  remaining: number;
}

const onlyFor: Partial<Record<Fault['kind'], readonly FaultEndpoint[]>> = {
  missing_biscuit: ['biscuit'],
  tamper_sealed_box: ['task_register', 'authapi_task_register'],
};

// A mid-stream failure needs a stream: only the model endpoint has one.
const streamOnly: ReadonlySet<FaultEndpoint> = new Set(['responses', 'responses_ws']);

/** Checks an untrusted (admin HTTP) or typed fault; `FAULT_INVALID` names what is wrong. */
export function parseFault(endpoint: unknown, fault: unknown, times: unknown = 1): PendingFault {
  const parsedEndpoint = FaultEndpoint.safeParse(endpoint);
  if (!parsedEndpoint.success) {
    throw new BackendError('FAULT_INVALID', `endpoint must be one of ${FaultEndpoint.options.join(', ')}`);
  }
  const parsedFault = Fault.safeParse(fault);
  if (!parsedFault.success) {
    throw new BackendError('FAULT_INVALID', `not a valid fault: ${z.prettifyError(parsedFault.error)}`);
  }
  const required = onlyFor[parsedFault.data.kind];
  if (required !== undefined && !required.includes(parsedEndpoint.data)) {
    throw new BackendError('FAULT_INVALID', `a ${parsedFault.data.kind} fault applies to ${required.join(', ')} only`);
  }
  if (parsedFault.data.kind === 'response_failed' && !streamOnly.has(parsedEndpoint.data)) {
    throw new BackendError('FAULT_INVALID', 'a response_failed fault applies to responses and responses_ws only');
  }
  if (!Number.isSafeInteger(times) || (times as number) < 1) {
    throw new BackendError('FAULT_INVALID', 'times must be a positive integer');
  }
  return { endpoint: parsedEndpoint.data, fault: parsedFault.data, remaining: times as number };
}

/** Faults waiting for their calls, in the order they were queued per endpoint. */
export class FaultQueue {
  #pending: PendingFault[] = [];

  add(fault: PendingFault): void {
    this.#pending.push({ ...fault });
  }

  /** The fault for this call of `endpoint`, if one is queued (counting it down). */
  take(endpoint: FaultEndpoint): Fault | undefined {
    const index = this.#pending.findIndex((pending) => pending.endpoint === endpoint);
    const pending = this.#pending[index];
    if (pending === undefined) return undefined;
    pending.remaining -= 1;
    if (pending.remaining === 0) this.#pending.splice(index, 1);
    return pending.fault;
  }

  list(): PendingFault[] {
    return this.#pending.map((pending) => ({ ...pending }));
  }

  clear(): void {
    this.#pending = [];
  }
}
