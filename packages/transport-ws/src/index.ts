export { TransportWsError, type TransportWsErrorCode, type TransportWsErrorOptions } from './transport-ws-error.js';
export { dialAgentSocket, type DialOptions } from './dial-agent-socket.js';
export { AgentSocketPool, createAgentSocketPool, type SocketPoolThread } from './agent-socket-pool.js';
export { DEFAULT_MAX_AGE_MS, type AgentSocketPoolOptions } from './pool-options.js';
export { SocketLease } from './socket-lease.js';
export { streamResponse, type ResponseRequest } from './stream-response.js';
export {
  createUpgradeGuard,
  IDLE_CLOSE_CODE,
  IDLE_CLOSE_REASON,
  type UpgradeGuard,
  type UpgradeGuardOptions,
} from './upgrade-guard.js';
export type { AssertionCaller, BearerAuthenticator, BearerCaller, UpgradeCaller } from './upgrade-caller.js';
