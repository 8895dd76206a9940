import type { Instrumentation } from '@agent-identity/protocol';
import type { RegistryChange, RegistryStore } from '@agent-identity/registry';
import type { AgentVerifier } from '@agent-identity/verifier';
import type { AdminGuard } from './admin-guard.js';
import type { BiscuitStore } from './biscuit-store.js';
import type { CounterBoard } from './counters.js';
import type { FaultQueue } from './faults.js';
import type { IdentityJwtIssuer } from './identity-jwt-issuer.js';
import type { ResolvedBackendOptions, TaskIdAnswerForm } from './options.js';
import type { RequestLog } from './request-log.js';
import type { UserDirectory } from './user-directory.js';

/** Everything a request handler of one running backend works with. */
export interface BackendContext {
  options: ResolvedBackendOptions;
  users: UserDirectory;
  /** Agents, tasks and biscuits: in memory, PGlite or PostgreSQL (shared by every instance on it). */
  registry: RegistryStore;
  biscuits: BiscuitStore;
  counters: CounterBoard;
  requests: RequestLog;
  faults: FaultQueue;
  verifier: AgentVerifier;
  /** Who may drive `/_admin` over HTTP. */
  adminGuard: AdminGuard;
  /** The AuthAPI's current settings (admin-switchable; `reset()` restores the options'). */
  authApi: { taskIdAnswer: TaskIdAnswerForm };
  /** The current profile's identity JWTs: the JWKS and the signer. */
  identityJwts: IdentityJwtIssuer;
  /**
   * Acts on a registry change at once (drops cached answers, closes the sockets it concerns); the
   * same runs again when the change's notification arrives, which is harmless.
   */
  applyChange(change: RegistryChange): void;
  /** Aborted when the backend closes: pending delays give up. */
  closing: AbortSignal;
  /** The backend's spans (a no-op without `telemetry`). */
  instrumentation: Instrumentation;
}
