/**
 * The root of every error this project throws. Two families derive from it: wire-format errors
 * (`protocol`, `crypto`: something on the wire or on disk is malformed) and local runtime errors
 * (`core`, adapters: registration failed, a store is corrupt…). Every error has a stable string
 * `code` to branch on, `cause` when there is one, and `isRetryable` where retrying can help.
 *
 * `instanceof` breaks when two copies of a package are installed; `isInstance` does not: it looks
 * for a marker symbol from the global symbol registry, which every copy shares.
 */
const agentIdentityErrorMarker = Symbol.for('@agent-identity/error');

export interface AgentIdentityErrorOptions {
  cause?: unknown;
  isRetryable?: boolean;
}

export class AgentIdentityError extends Error {
  readonly code: string;
  readonly isRetryable: boolean;
  private readonly [agentIdentityErrorMarker] = true;

  constructor(code: string, message: string, options: AgentIdentityErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentIdentityError';
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
  }

  static isInstance(value: unknown): value is AgentIdentityError {
    return hasErrorMarker(value, agentIdentityErrorMarker);
  }
}

/**
 * True when `value` carries `marker` (a `Symbol.for(...)` symbol set to `true` by the error class
 * that owns it). Subclasses use it to implement their own `isInstance`.
 */
export function hasErrorMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Partial<Record<symbol, unknown>>)[marker] === true;
}

const rolloutLineErrorMarker = Symbol.for('@agent-identity/protocol/RolloutLineError');

/** What is wrong with a rollout line, from the outside in (SPEC §2.1). */
export type RolloutLineErrorReason =
  'not_json' | 'not_object' | 'invalid_envelope' | 'invalid_session_state' | 'invalid_payload';

/**
 * A rollout line that cannot be read. The message names the line number and the field, never the
 * line's content: rollout lines hold the user's conversation. For the same reason the `SyntaxError`
 * of `JSON.parse` (which quotes the input) is not attached as `cause`.
 */
export class RolloutLineError extends AgentIdentityError {
  /** 1-based line number in the rollout file. */
  readonly lineNumber: number;
  readonly reason: RolloutLineErrorReason;
  private readonly [rolloutLineErrorMarker] = true;

  constructor(lineNumber: number, reason: RolloutLineErrorReason, detail: string) {
    super('ROLLOUT_LINE_INVALID', `rollout line ${lineNumber}: ${detail}`);
    this.name = 'RolloutLineError';
    this.lineNumber = lineNumber;
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is RolloutLineError {
    return hasErrorMarker(value, rolloutLineErrorMarker);
  }
}

const authFileErrorMarker = Symbol.for('@agent-identity/protocol/AuthFileError');

export type AuthFileErrorReason = 'not_json' | 'not_object' | 'invalid_field';

/**
 * An auth file that cannot be read (SPEC §2.2). It holds tokens and a private key, so the message
 * names at most a field path (`path`, e.g. `tokens.access_token`), never a value, and the
 * `JSON.parse` error (which quotes the input) is not attached.
 */
export class AuthFileError extends AgentIdentityError {
  readonly reason: AuthFileErrorReason;
  /** Dotted path of the offending field (`invalid_field` only), e.g. `agent_identity.workspace_id`. */
  readonly path: string | undefined;
  private readonly [authFileErrorMarker] = true;

  constructor(reason: AuthFileErrorReason, detail: string, path?: string) {
    super('AUTH_FILE_INVALID', `auth file: ${detail}`);
    this.name = 'AuthFileError';
    this.reason = reason;
    this.path = path;
  }

  static override isInstance(value: unknown): value is AuthFileError {
    return hasErrorMarker(value, authFileErrorMarker);
  }
}

const idTokenErrorMarker = Symbol.for('@agent-identity/protocol/IdTokenError');

export type IdTokenErrorReason = 'not_jwt' | 'bad_base64' | 'not_json' | 'not_object';

/** An ID token whose claims cannot be read. Never echoes the token. */
export class IdTokenError extends AgentIdentityError {
  readonly reason: IdTokenErrorReason;
  private readonly [idTokenErrorMarker] = true;

  constructor(reason: IdTokenErrorReason, detail: string) {
    super('ID_TOKEN_INVALID', `id token: ${detail}`);
    this.name = 'IdTokenError';
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is IdTokenError {
    return hasErrorMarker(value, idTokenErrorMarker);
  }
}

const assertionHeaderErrorMarker = Symbol.for('@agent-identity/protocol/AssertionHeaderError');

/** Decoding steps of an `AgentAssertion` header, in the order they are checked (SPEC §3.6). */
export type AssertionHeaderErrorReason = 'too_long' | 'missing_scheme' | 'bad_base64' | 'not_json' | 'invalid_envelope';

/** An `Authorization` header that is not a well-formed `AgentAssertion`. Never echoes the header. */
export class AssertionHeaderError extends AgentIdentityError {
  readonly reason: AssertionHeaderErrorReason;
  private readonly [assertionHeaderErrorMarker] = true;

  constructor(reason: AssertionHeaderErrorReason, detail: string) {
    super('ASSERTION_MALFORMED', `malformed AgentAssertion header: ${detail}`);
    this.name = 'AssertionHeaderError';
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is AssertionHeaderError {
    return hasErrorMarker(value, assertionHeaderErrorMarker);
  }
}

const responseStreamErrorMarker = Symbol.for('@agent-identity/protocol/ResponseStreamError');

/**
 * How a model stream ended a turn without an answer (SPEC §3.8): the server said the response
 * failed, is incomplete or is an error (its own message is kept), the stream ended before a
 * terminal event, or an event the client needs is malformed.
 */
export type ResponseStreamErrorCode =
  'RESPONSE_FAILED' | 'RESPONSE_INCOMPLETE' | 'RESPONSE_ERROR_EVENT' | 'RESPONSE_STREAM_CUT' | 'RESPONSE_EVENT_INVALID';

export class ResponseStreamError extends AgentIdentityError {
  declare readonly code: ResponseStreamErrorCode;
  /** The `code` the server gave (`error.code`, or the incomplete reason), if any. */
  readonly serverCode: string | undefined;
  private readonly [responseStreamErrorMarker] = true;

  constructor(code: ResponseStreamErrorCode, message: string, options: { serverCode?: string; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.name = 'ResponseStreamError';
    this.serverCode = options.serverCode;
  }

  static override isInstance(value: unknown): value is ResponseStreamError {
    return hasErrorMarker(value, responseStreamErrorMarker);
  }
}
