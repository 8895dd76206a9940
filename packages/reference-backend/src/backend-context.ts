import type { AgentVerifier } from '@agent-identity/verifier';
import type { AdminGuard } from './admin-guard.js';
import type { BackendState } from './backend-state.js';
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
  state: BackendState;
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
  /** Writes the state to the data file (no-op without one); resolves once it is durable. */
  persist(): Promise<void>;
  /** Aborted when the backend closes: pending delays give up. */
  closing: AbortSignal;
}
