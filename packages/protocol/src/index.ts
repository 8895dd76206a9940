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
  ResponseStreamError,
  type ResponseStreamErrorCode,
} from './errors.js';
export {
  formatSecondsTimestamp,
  formatMillisTimestamp,
  parseSecondsTimestamp,
  SecondsTimestamp,
} from './timestamps.js';
export { encodeBase64, decodeBase64, encodeBase64UrlNoPad, decodeBase64UrlNoPad } from './base64.js';
export {
  AgentAssertionEnvelope,
  AGENT_ASSERTION_SCHEME,
  MAX_ASSERTION_HEADER_LENGTH,
  agentAssertionMessage,
  encodeAgentAssertionHeader,
  decodeAgentAssertionHeader,
} from './assertion-header.js';
export { SessionAgentTask, sessionAgentTaskEquals, SessionStatePayload, sessionStateTask } from './session-state.js';
export {
  CompactedLine,
  EventMsgLine,
  isKnownRolloutLine,
  isSessionStateLine,
  KnownRolloutLine,
  newestAgentTaskOfLines,
  OpaqueRolloutLine,
  ResponseItemLine,
  RolloutLine,
  type RolloutLineType,
  SessionMetaLine,
  SessionStateLine,
  sessionStateLine,
  TurnContextLine,
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
export {
  AgentIdentityRecord,
  Codex0122AgentIdentityRecord,
  CodexCurrentAgentIdentityRecord,
  type StoredAgentIdentityRecord,
  type AgentIdentityRecordFill,
  DEFAULT_PLAN_TYPE,
  UNKNOWN_REGISTERED_AT,
  parseAgentIdentityRecord,
  toUnionAgentIdentityRecord,
} from './agent-identity-record.js';
export {
  AGENT_IDENTITY_AUTH_MODE,
  AuthTokens,
  type AuthFile,
  AuthFileDocument,
  type AuthFileObject,
  agentIdentityJwtOf,
  parseAuthFile,
  parseAuthFileDocument,
  parseAuthFileObject,
  serializeAuthFile,
} from './auth-file.js';
export { type IdTokenClaims, decodeIdTokenClaims } from './id-token.js';
export {
  AgentBillOfMaterials,
  type BillOfMaterialsOptions,
  rustOsName,
  buildBillOfMaterials,
} from './bill-of-materials.js';
export {
  DEFAULT_BACKEND_BASE_URL,
  DEFAULT_AUTHAPI_BASE_URL,
  RESPONSES_API_CAPABILITY,
  OPENAI_FEDRAMP_HEADER,
  BISCUIT_RESPONSE_HEADER,
  OPENAI_AUTHORIZATION_HEADER,
  REQUEST_ID_HEADER,
  ORIGINAL_METHOD_HEADER,
  ORIGINAL_URL_HEADER,
  CHATGPT_ACCOUNT_ID_HEADER,
  BISCUIT_REQUEST_ID_PREFIX,
  biscuitRequestId,
  biscuitUrl,
  agentRegisterUrl,
  taskRegisterUrl,
  responsesUrl,
  taskRegistrationMessage,
  RegisterAgentRequest,
  RegisterAgentResponse,
  RegisterTaskRequest,
  RegisterTaskResponse,
  RegisterTaskAnswer,
  type AnsweredTaskId,
  taskIdOfAnswer,
} from './backend-bodies.js';
export {
  ContentPartAddedEvent,
  ContentPartDoneEvent,
  DownstreamErrorBody,
  DownstreamRejectionCode,
  OutputItemAddedEvent,
  OutputItemDoneEvent,
  OutputTextContent,
  OutputTextDeltaEvent,
  OutputTextDoneEvent,
  ResponseCompletedEvent,
  ResponseCreatedEvent,
  ResponseCreateMessage,
  ResponseErrorDetail,
  ResponseErrorEvent,
  ResponseFailedEvent,
  ResponseIncompleteEvent,
  ResponseInProgressEvent,
  ResponseObject,
  ResponseOutputItem,
  ResponsesInput,
  ResponsesRequest,
  ResponseStreamEvent,
  ResponseUsage,
} from './responses-events.js';
export { responseObjectDefaults, type ResponseObjectDefaults } from './response-object-defaults.js';
export {
  type DownstreamRefusalRemedy,
  type ReregistrationRefusalCode,
  type ClockSkewRefusalCode,
  downstreamRefusalRemedy,
  isReregistrationRefusal,
  isClockSkewRefusal,
} from './downstream-refusal.js';
export { CREDENTIALS_REVOKED_CLOSE_CODE } from './websocket-close.js';
export {
  AGENT_IDENTITY_JWT_ISSUER,
  AGENT_IDENTITY_JWT_AUDIENCE,
  agentIdentityJwksUrl,
  AgentIdentityJwtClaims,
} from './agent-identity-jwt.js';
export { encodeSseEvent, type SseEvent, SseDecoder } from './sse.js';
export { decodeResponseStreamEvent } from './response-event-decoder.js';
export { ResponseTextAccumulator, type ResponseText, type ResponseTextSource } from './response-text-accumulator.js';
export { redactUrlCredentials } from './url-credentials.js';
export {
  errorType,
  Instrumentation,
  type InstrumentDescription,
  type SpanRecorder,
  type TelemetryAttributes,
  type TelemetryCounter,
  type TelemetryHistogram,
  type TelemetryOptions,
} from './telemetry.js';
