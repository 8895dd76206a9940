import {
  agentRegisterUrl,
  BISCUIT_RESPONSE_HEADER,
  biscuitRequestId,
  biscuitUrl,
  formatSecondsTimestamp,
  OPENAI_AUTHORIZATION_HEADER,
  ORIGINAL_METHOD_HEADER,
  ORIGINAL_URL_HEADER,
  RegisterAgentResponse,
  RegisterTaskAnswer,
  RegisterTaskResponse,
  REQUEST_ID_HEADER,
  taskIdOfAnswer,
  taskRegisterUrl,
  type AgentBillOfMaterials,
  type RegisterAgentRequest,
  type RegisterTaskRequest,
} from '@agent-identity/protocol';
import { openSealedTaskId, signTaskRegistration, type AgentSigningKey } from '@agent-identity/crypto';
import type * as z from 'zod/mini';
import type { BackendClock } from './backend-clock.js';
import { RegistrationBudget } from '../thread/registration-budget.js';
import { isTimeWindowRejection } from './backend-rejections.js';
import { CoreError, type CoreErrorCode } from '../runtime/errors.js';
import type { ChatGptLogin } from '../stores/login.js';
import type { ResolvedRuntimeOptions } from '../runtime/options.js';
import {
  bootstrapUnavailableText,
  type ProtocolProfile,
  type RegistrationAuth,
  type RegistrationBase,
} from './protocol-profile.js';
import { responseErrorCode } from './response-error-code.js';
import { readCappedBody } from '../primitives/capped-body.js';
import { isRetryableStatus, parseRetryAfterMs, withRetry } from './retry-policy.js';

export type BackendClientOptions = Pick<
  ResolvedRuntimeOptions,
  'baseUrl' | 'authApiUrl' | 'profile' | 'fetch' | 'randomBytes' | 'timers' | 'timeoutMs' | 'retry' | 'logger'
> & {
  /**
   * The backend's time: every response's `Date` header teaches it, and signed timestamps and
   * `Retry-After` dates are read on it.
   */
  readonly clock: BackendClock;
  /** Aborts every in-flight call and retry sleep (the runtime is closing). */
  readonly signal: AbortSignal;
};

/** The identity an agent registers tasks with. */
export interface RegisteringIdentity {
  readonly agentRuntimeId: string;
  readonly key: AgentSigningKey;
}

/** The three backend calls, each with its SPEC §3.2–3.4 error texts. */
interface CallTexts {
  readonly sendFailed: { code: CoreErrorCode; message: (url: string) => string };
  readonly rejected: { code: CoreErrorCode; message: (status: number, url: string, body: string) => string };
}

/** A registration call also answers JSON, which may not parse. */
interface RegistrationCallTexts extends CallTexts {
  readonly unparsable: { code: CoreErrorCode; message: (url: string) => string };
}

const BISCUIT_CALL: CallTexts = {
  sendFailed: {
    code: 'BISCUIT_SEND_FAILED',
    message: (url) => `failed to send agent identity biscuit request to ${url}`,
  },
  rejected: {
    code: 'BISCUIT_REJECTED',
    message: (status, url, body) => `agent identity biscuit minting failed with status ${status} from ${url}: ${body}`,
  },
};

/**
 * SPEC §3.3's (`identity`) and §3.4's (`task`) texts, which differ only in what they name; a
 * rejection's text is the profile's.
 */
function registrationCall(what: 'identity' | 'task', profile: ProtocolProfile): RegistrationCallTexts {
  const [sendFailed, rejected, unparsable] =
    what === 'identity'
      ? (['IDENTITY_REGISTRATION_SEND_FAILED', 'IDENTITY_REGISTRATION_REJECTED', 'IDENTITY_RESPONSE_INVALID'] as const)
      : (['TASK_REGISTRATION_SEND_FAILED', 'TASK_REGISTRATION_REJECTED', 'TASK_RESPONSE_INVALID'] as const);
  const named = what === 'identity' ? 'agent identity' : 'agent task';
  return {
    sendFailed: { code: sendFailed, message: (url) => `failed to send ${named} registration request to ${url}` },
    rejected: {
      code: rejected,
      message: what === 'identity' ? profile.errorTexts.identityRejected : profile.errorTexts.taskRejected,
    },
    unparsable: { code: unparsable, message: (url) => `failed to parse ${named} response from ${url}` },
  };
}

/** Bodies are read up to this size: the answers we parse are tiny, error bodies are cut anyway. */
const MAX_BODY_BYTES = 64 * 1024;
const REQUEST_ID_RANDOM_BYTES = 16;
const REDACTED = '[redacted]';

interface ReceivedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * The backend of SPEC §3.2–3.5: biscuits, identity registration, task registration. Every call is
 * bounded by `timeoutMs`, and every attempt of a registration (retried per the retry policy)
 * mints its own biscuit when the profile authenticates it with one. Where each call goes, how it
 * authenticates, its body and its answer are rows of the {@link ProtocolProfile}.
 */
export class BackendClient {
  readonly #options: BackendClientOptions;

  constructor(options: BackendClientOptions) {
    this.#options = options;
  }

  /** SPEC §3.3 (CODEX-CURRENT): registers `key`'s public key and returns the new `agent_runtime_id`. */
  async registerAgent(login: ChatGptLogin, key: AgentSigningKey, abom: AgentBillOfMaterials): Promise<string> {
    const { profile } = this.#options;
    const { base, auth } = profile.identityRegistration;
    const url = agentRegisterUrl(this.#baseUrl(base));
    const body: RegisterAgentRequest = {
      abom,
      agent_public_key: key.sshPublicKey,
      capabilities: [...profile.capabilities],
      ...(profile.sendsTtl ? { ttl: null } : {}),
    };
    // shared by every caller waiting for the identity (single flight): only closing aborts it
    const signal = this.#options.signal;
    const response = await this.#withRetry(
      'agent registration',
      () =>
        this.#registrationCall(
          login,
          url,
          auth,
          () => JSON.stringify(body),
          registrationCall('identity', profile),
          RegisterAgentResponse,
          signal,
        ),
      signal,
    );
    return response.agent_runtime_id;
  }

  /**
   * SPEC §3.4–3.5: registers a task for `identity` and returns its task id, decrypted. Opening the
   * sealed id is not retried: a box that does not open will not open on a second try either.
   *
   * Beyond Codex, {@link #retryOnceIfClockCorrected}: a registration refused for its timestamp
   * (`expired`, `from_future`) whose answer moved the clock correction is sent once more, signed
   * on the corrected clock. The budget's signal (the turn caller's) aborts its sends and sleeps.
   */
  async registerTask(
    login: ChatGptLogin,
    identity: RegisteringIdentity,
    budget: RegistrationBudget = new RegistrationBudget(),
  ): Promise<string> {
    const { profile } = this.#options;
    const { base, auth } = profile.taskRegistration;
    const url = taskRegisterUrl(this.#baseUrl(base), identity.agentRuntimeId);
    const texts = registrationCall('task', profile);
    const signal = this.#callSignal(budget.signal);
    const register = <T extends z.ZodMiniType>(schema: T): Promise<z.infer<T>> =>
      this.#retryOnceIfClockCorrected(identity, (body) =>
        this.#withRetry(
          'task registration',
          () => {
            budget.spend();
            return this.#registrationCall(login, url, auth, body, texts, schema, signal);
          },
          signal,
        ),
      );
    if (!profile.acceptsPlaintextTaskId) {
      const response = await register(RegisterTaskResponse);
      return openSealedTaskId(identity.key, response.encrypted_task_id);
    }
    const answer = await register(RegisterTaskAnswer);
    const taskId = taskIdOfAnswer(answer);
    switch (taskId.kind) {
      case 'plaintext':
        return taskId.taskId;
      case 'sealed':
        return openSealedTaskId(identity.key, taskId.encryptedTaskId);
      case 'missing':
        throw new CoreError('TASK_ID_MISSING', 'agent task registration response omitted task id', { url });
    }
  }

  /** What aborts a call: closing the runtime, and the caller's own signal when it has one. */
  #callSignal(caller: AbortSignal | undefined): AbortSignal {
    return caller === undefined ? this.#options.signal : AbortSignal.any([this.#options.signal, caller]);
  }

  #baseUrl(base: RegistrationBase): string {
    return base === 'authapi' ? this.#options.authApiUrl : this.#options.baseUrl;
  }

  /**
   * Runs `register` with a body signed on the backend clock; when it is refused for its timestamp
   * and the refusal's `Date` moved the clock's offset since the body was signed, runs it once more.
   * A window refusal on an offset that did not move is not the clock's fault: it propagates.
   */
  async #retryOnceIfClockCorrected<T>(
    identity: RegisteringIdentity,
    register: (body: () => string) => Promise<T>,
  ): Promise<T> {
    const { clock, logger } = this.#options;
    let signedWithOffsetMs = clock.offsetMs;
    const body = (): string => {
      signedWithOffsetMs = clock.offsetMs;
      return JSON.stringify(this.#signedTaskBody(identity));
    };
    try {
      return await register(body);
    } catch (error) {
      if (!isTimeWindowRejection(error) || clock.offsetMs === signedWithOffsetMs) throw error;
      logger.info('agent identity: the task registration timestamp was refused; retrying on the corrected clock', {
        agentRuntimeId: identity.agentRuntimeId,
        offsetMs: clock.offsetMs,
        reason: error.responseErrorCode,
      });
      return register(body);
    }
  }

  /** SPEC §3.4: `timestamp` = now on the backend's clock, signed as `"{runtime}:{timestamp}"`. */
  #signedTaskBody(identity: RegisteringIdentity): RegisterTaskRequest {
    const timestamp = formatSecondsTimestamp(this.#options.clock.now());
    return { signature: signTaskRegistration(identity.key, identity.agentRuntimeId, timestamp), timestamp };
  }

  /**
   * SPEC §3.2: a one-call credential for (`method`, `targetUrl`). Never cached. `signal` (default:
   * the runtime closing) aborts the call.
   */
  async mintBiscuit(
    login: ChatGptLogin,
    method: string,
    targetUrl: string,
    signal: AbortSignal = this.#options.signal,
  ): Promise<string> {
    const url = biscuitUrl(this.#options.baseUrl);
    const requestId = biscuitRequestId(this.#options.randomBytes(REQUEST_ID_RANDOM_BYTES));
    const response = await this.#send(
      url,
      BISCUIT_CALL,
      [login.accessToken],
      {
        method: 'GET',
        headers: {
          Authorization: `Bearer ${login.accessToken}`,
          [REQUEST_ID_HEADER]: requestId,
          [ORIGINAL_METHOD_HEADER]: method,
          [ORIGINAL_URL_HEADER]: targetUrl,
        },
      },
      signal,
    );
    const biscuit = response.headers.get(BISCUIT_RESPONSE_HEADER);
    if (biscuit === null || biscuit === '') {
      throw new CoreError(
        'BISCUIT_MISSING_HEADER',
        'agent identity biscuit response did not include x-openai-authorization',
        { url, status: response.status },
      );
    }
    return biscuit;
  }

  /**
   * One attempt: its credential (a fresh biscuit for this call, the login's bearer token, or
   * none), then the call, then its JSON answer. The body is built after the biscuit: a signed
   * timestamp is then as fresh as it can be, on a clock the biscuit's answer has just corrected.
   */
  async #registrationCall<T extends z.ZodMiniType>(
    login: ChatGptLogin,
    url: string,
    auth: RegistrationAuth,
    body: () => string,
    texts: RegistrationCallTexts,
    schema: T,
    signal: AbortSignal,
  ): Promise<z.infer<T>> {
    const credential = await this.#registrationCredential(login, url, auth, signal);
    const response = await this.#send(
      url,
      texts,
      [login.accessToken, ...Object.values(credential)],
      { method: 'POST', headers: { ...credential, 'Content-Type': 'application/json' }, body: body() },
      signal,
    );
    const parsed = schema.safeParse(parseJson(response.body));
    if (!parsed.success) {
      throw new CoreError(texts.unparsable.code, texts.unparsable.message(url), { url, status: response.status });
    }
    return parsed.data;
  }

  /** The headers that authenticate one registration call (its values are secrets). */
  async #registrationCredential(
    login: ChatGptLogin,
    url: string,
    auth: RegistrationAuth,
    signal: AbortSignal,
  ): Promise<Record<string, string>> {
    switch (auth) {
      case 'biscuit':
        return { [OPENAI_AUTHORIZATION_HEADER]: await this.mintBiscuit(login, 'POST', url, signal) };
      case 'bearer':
        return { Authorization: `Bearer ${login.accessToken}` };
      case 'none':
        return {};
    }
  }

  /**
   * `attempt` under the retry policy. When the profile falls back to bearer auth, a failure that a
   * later attempt could have fixed (429, 5xx, timeout, connection error) surviving every attempt
   * becomes `BOOTSTRAP_UNAVAILABLE` with CODEX-CURRENT's text.
   */
  async #withRetry<T>(what: string, attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
    let attempts = 0;
    try {
      return await this.#retried(
        what,
        () => {
          attempts += 1;
          return attempt();
        },
        signal,
      );
    } catch (error) {
      if (this.#options.profile.bootstrapFailure !== 'bearer-for-session') throw error;
      // an aborted call says nothing about the backend: no fallback to bearer auth for it
      if (!CoreError.isInstance(error) || !error.isRetryable || signal.aborted) throw error;
      throw new CoreError('BOOTSTRAP_UNAVAILABLE', bootstrapUnavailableText(attempts, what, error.message), {
        cause: error,
        ...(error.url === undefined ? {} : { url: error.url }),
        ...(error.status === undefined ? {} : { status: error.status }),
      });
    }
  }

  #retried<T>(what: string, attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const { retry, timers, logger, randomBytes } = this.#options;
    return withRetry(attempt, {
      policy: retry,
      timers,
      signal,
      random: () => Buffer.from(randomBytes(4)).readUInt32BE(0) / 2 ** 32,
      onRetry: (failedAttempt, delayMs, error) => {
        logger.warn(`agent identity: ${what} attempt ${failedAttempt} failed; retrying`, {
          delayMs,
          error: error instanceof Error ? error.message : String(error),
        });
      },
    });
  }

  /**
   * One HTTP exchange, bounded by `timeoutMs` from the request until the whole body is read. Its
   * `Date` header teaches the clock. Transport failures and non-2xx answers become the call's SPEC
   * errors; `secrets` are cut out of any body quoted in a message.
   */
  async #send(
    url: string,
    texts: CallTexts,
    secrets: readonly string[],
    init: RequestInit,
    signal: AbortSignal,
  ): Promise<ReceivedResponse> {
    const { fetch, timers, timeoutMs, clock, profile } = this.#options;
    const controller = new AbortController();
    const abort = (): void => {
      controller.abort();
    };
    const timedOut = new Error(`no answer within ${timeoutMs} ms`);
    const timeout = timers.setTimeout(() => {
      controller.abort(timedOut);
    }, timeoutMs);
    signal.addEventListener('abort', abort, { once: true });
    if (signal.aborted) abort();
    let received: ReceivedResponse;
    try {
      // never follow a redirect: the biscuit is bound to this exact URL, and must not travel elsewhere
      const sentAtMs = clock.localNow();
      const response = await fetch(url, { ...init, signal: controller.signal, redirect: 'manual' });
      clock.observe(response.headers.get('date'), sentAtMs, clock.localNow());
      received = {
        status: response.status,
        headers: response.headers,
        body: await readBody(response, controller.signal),
      };
    } catch (error) {
      throw new CoreError(texts.sendFailed.code, texts.sendFailed.message(url), {
        cause: controller.signal.reason === timedOut ? timedOut : error,
        url,
        isRetryable: true,
      });
    } finally {
      timers.clearTimeout(timeout);
      signal.removeEventListener('abort', abort);
    }
    if (received.status < 200 || received.status > 299) {
      // a Retry-After date is on the server's clock
      const retryAfterMs = parseRetryAfterMs(received.headers.get('retry-after'), clock.now());
      const errorCode = responseErrorCode(parseJson(received.body), secrets);
      throw new CoreError(
        texts.rejected.code,
        texts.rejected.message(
          received.status,
          url,
          quotedBody(received.body, secrets, profile.errorTexts.maxErrorBodyChars),
        ),
        {
          url,
          status: received.status,
          isRetryable: isRetryableStatus(received.status),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          ...(errorCode === undefined ? {} : { responseErrorCode: errorCode }),
        },
      );
    }
    return received;
  }
}

/** The body as text, at most {@link MAX_BODY_BYTES} of it (a longer one is cut, then cancelled). */
async function readBody(response: Response, signal: AbortSignal): Promise<string> {
  const body = await readCappedBody(response, { maxBytes: MAX_BODY_BYTES, overflow: 'cut', signal });
  // without a deadline the read is never late, and a cut body never gives up
  return body.outcome === 'whole' || body.outcome === 'cut' ? body.text : '';
}

/** An error body as it goes into a message: secrets replaced, cut to `maxChars`. */
function quotedBody(body: string, secrets: readonly string[], maxChars: number): string {
  let text = body;
  for (const secret of secrets) {
    if (secret !== '') text = text.split(secret).join(REDACTED);
  }
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
