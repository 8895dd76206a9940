import { AgentIdentityError, hasErrorMarker, type AgentIdentityErrorOptions } from '@agent-identity/protocol';

const registryErrorMarker = Symbol.for('@agent-identity/registry/RegistryError');

/**
 * A failure of the registry:
 * - `REGISTRY_OPTIONS_INVALID` — both a database URL and a data folder, or neither where one is
 *   needed; a cache size that is not a non-negative integer.
 * - `REGISTRY_UNAVAILABLE` — the database could not be reached or answered with an error (retryable).
 * - `REGISTRY_DUPLICATE_ID` — an agent or task id that is already registered; nothing was written.
 */
export type RegistryErrorCode = 'REGISTRY_OPTIONS_INVALID' | 'REGISTRY_UNAVAILABLE' | 'REGISTRY_DUPLICATE_ID';

export class RegistryError extends AgentIdentityError {
  declare readonly code: RegistryErrorCode;
  private readonly [registryErrorMarker] = true;

  constructor(code: RegistryErrorCode, message: string, options?: AgentIdentityErrorOptions) {
    super(code, message, options);
    this.name = 'RegistryError';
  }

  static override isInstance(value: unknown): value is RegistryError {
    return hasErrorMarker(value, registryErrorMarker);
  }
}
