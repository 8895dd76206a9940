export { ApiBridgeError, type ApiBridgeErrorCode } from './api-bridge-error.js';
export {
  AUTHORIZATION_HEADER,
  turnHeaderProvider,
  threadHeaderProvider,
  type AuthHeaderProvider,
} from './auth-header-provider.js';
export { applyAuthHeaders } from './apply-auth-headers.js';
export { isReplayableBody } from './replayable-body.js';
export { createAgentFetch, type AgentFetch, type AgentFetchOptions } from './agent-fetch.js';
export { recoveryErrorOf } from './recovery-errors.js';
export { AGENT_THREAD_ID_HEADER, threadByIdHeader, type CallerRequest, type ThreadChooser } from './thread-choice.js';
export type { TaskRecoveryEvent, TaskRecoveryListener } from './task-recovery-event.js';
