import type { IncomingMessage } from 'node:http';
import type { RequestCaller } from '@agent-identity/verifier';

export type { AssertionCaller, BearerCaller } from '@agent-identity/verifier';

/**
 * Who opened an accepted socket. Without `authenticateBearer` (`BearerIdentity` = `never`) it is
 * always an assertion: a service that accepts only assertions has no other case to handle.
 */
export type UpgradeCaller<BearerIdentity = never> = RequestCaller<BearerIdentity>;

/** Checks a handshake's bearer token (it may look at the request); `undefined` refuses it. */
export type BearerAuthenticator<BearerIdentity> = (
  token: string,
  request: IncomingMessage,
) => BearerIdentity | undefined | Promise<BearerIdentity | undefined>;
