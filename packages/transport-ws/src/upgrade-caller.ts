import type { VerifiedAssertion } from '@agent-identity/verifier';

/** A handshake that carried a valid `AgentAssertion`: the proven agent and task. */
export interface AssertionCaller {
  readonly scheme: 'assertion';
  readonly identity: VerifiedAssertion;
}

/** A handshake that carried a bearer token the guard's `authenticateBearer` accepted. */
export interface BearerCaller<BearerIdentity> {
  readonly scheme: 'bearer';
  /** What `authenticateBearer` returned. */
  readonly identity: BearerIdentity;
}

/**
 * Who opened an accepted socket. Without `authenticateBearer` (`BearerIdentity` = `never`) it is
 * always an assertion: a service that accepts only assertions has no other case to handle.
 */
export type UpgradeCaller<BearerIdentity = never> = [BearerIdentity] extends [never]
  ? AssertionCaller
  : AssertionCaller | BearerCaller<BearerIdentity>;
