import type { RequestCaller } from '@agent-identity/verifier';

export type { AssertionCaller, BearerAuthenticator, BearerCaller } from '@agent-identity/verifier';

/**
 * Who opened an accepted socket. Without `authenticateBearer` (`BearerIdentity` = `never`) it is
 * always an assertion: a service that accepts only assertions has no other case to handle.
 */
export type UpgradeCaller<BearerIdentity = never> = RequestCaller<BearerIdentity>;
