/**
 * The root of every error this project throws. Two families derive from it: wire-format errors
 * (`protocol`, `crypto`: something on the wire or on disk is malformed) and local runtime errors
 * (`core`, adapters: registration failed, a store is corrupt…). Every error has a stable string
 * `code` to branch on, `cause` when there is one, and `isRetryable` where retrying can help.
 *
 * `instanceof` breaks when two copies of a package are installed; `isInstance` does not: it looks
 * for a marker symbol from the global symbol registry, which every copy shares.
 */
const agentIdentityErrorMarker = Symbol.for('@agent-identity/error');

export interface AgentIdentityErrorOptions {
  cause?: unknown;
  isRetryable?: boolean;
}

export class AgentIdentityError extends Error {
  readonly code: string;
  readonly isRetryable: boolean;
  private readonly [agentIdentityErrorMarker] = true;

  constructor(code: string, message: string, options: AgentIdentityErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentIdentityError';
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
  }

  static isInstance(value: unknown): value is AgentIdentityError {
    return hasErrorMarker(value, agentIdentityErrorMarker);
  }
}

/**
 * True when `value` carries `marker` (a `Symbol.for(...)` symbol set to `true` by the error class
 * that owns it). Subclasses use it to implement their own `isInstance`.
 */
export function hasErrorMarker(value: unknown, marker: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<Record<symbol, unknown>>)[marker] === true
  );
}
