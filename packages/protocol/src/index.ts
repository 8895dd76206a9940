export {
  AgentIdentityError,
  hasErrorMarker,
  type AgentIdentityErrorOptions,
  RolloutLineError,
  type RolloutLineErrorReason,
  AuthFileError,
  type AuthFileErrorReason,
  IdTokenError,
  type IdTokenErrorReason,
  AssertionHeaderError,
  type AssertionHeaderErrorReason,
} from './errors.js';
export {
  formatSecondsTimestamp,
  formatMillisTimestamp,
  parseSecondsTimestamp,
  SecondsTimestamp,
} from './timestamps.js';
export {
  encodeBase64,
  decodeBase64,
  encodeBase64UrlNoPad,
  decodeBase64UrlNoPad,
} from './base64.js';
export {
  AgentAssertionEnvelope,
  AGENT_ASSERTION_SCHEME,
  MAX_ASSERTION_HEADER_LENGTH,
  agentAssertionMessage,
  encodeAgentAssertionHeader,
  decodeAgentAssertionHeader,
} from './assertion-header.js';
export {
  SessionAgentTask,
  sessionAgentTaskEquals,
  SessionStatePayload,
  sessionStateTask,
} from './session-state.js';
export {
  SessionMetaLine,
  SessionStateLine,
  ResponseItemLine,
  CompactedLine,
  TurnContextLine,
  EventMsgLine,
  KnownRolloutLine,
  type RolloutLineType,
  OpaqueRolloutLine,
  RolloutLine,
  isKnownRolloutLine,
  isSessionStateLine,
  sessionStateLine,
  newestSessionState,
} from './rollout-line.js';
export {
  type RolloutLineDecodeResult,
  tryDecodeRolloutLine,
  decodeRolloutLine,
  decodeRolloutLines,
  decodeRolloutLinesStrict,
  encodeRolloutLine,
  encodeSessionStateLine,
} from './rollout-codec.js';
