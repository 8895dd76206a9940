import {
  CoreError,
  deriveBinding,
  type AgentIdentityErrorEvent,
  type AgentThread,
  type Login,
} from '@agent-identity/core';
import { assembleAgentRuntime, type AgentRuntime } from './agent-runtime.js';
import { CliError } from './cli-error.js';
import { cliLogger } from './cli-logger.js';
import { CliTrace } from './cli-trace.js';
import type { Invocation } from './command.js';
import { withNetworkReason } from './failure-report.js';

/**
 * A command's use of the runtime: the assembly plus what a command-line program needs around it —
 * a login check with a helpful message, thread lookup errors that name the home, waiting for the
 * background prewarm, and the error events it collected.
 */
export class CliSession {
  readonly agent: AgentRuntime;
  /** `--trace`: the spans of this command, printed when the session closes. */
  readonly trace: CliTrace | undefined;
  readonly #invocation: Invocation;
  readonly #events: AgentIdentityErrorEvent[] = [];

  constructor(invocation: Invocation) {
    this.#invocation = invocation;
    const { settings, io } = invocation;
    this.trace = settings.trace ? new CliTrace() : undefined;
    this.agent = assembleAgentRuntime({
      home: settings.home,
      baseUrl: settings.baseUrl,
      profile: settings.profile,
      authApiUrl: settings.authApiUrl,
      useAgentIdentity: settings.useAgentIdentity,
      logger: cliLogger(io, settings.debug),
      onEvent: (event) => this.#events.push(event),
      telemetry: this.trace?.telemetry,
    });
  }

  /** The login of `auth.json`; a `NOT_LOGGED_IN` error naming the file when there is none. */
  async requireLogin(): Promise<Login> {
    const login = await this.agent.authSource.currentLogin();
    if (login === undefined) {
      throw new CliError(
        'NOT_LOGGED_IN',
        `nobody is logged in: ${this.agent.authFile} has no "tokens" (log in with Codex, or try \`agent-cli demo\`)`,
      );
    }
    return login;
  }

  /**
   * Whether agent identity applies to `login` (SPEC §1 gate): the flag is on and the login is a
   * ChatGPT login with an account. Otherwise everything quietly uses bearer auth.
   */
  identityApplies(login: Login): boolean {
    return this.agent.runtime.useAgentIdentity && deriveBinding(login, undefined) !== undefined;
  }

  /** `runtime.resumeThread`, with a `THREAD_NOT_FOUND` that says where it looked. */
  async resumeThread(threadId: string): Promise<AgentThread> {
    try {
      return await this.agent.runtime.resumeThread(threadId);
    } catch (error) {
      throw this.#threadLookupError(error, threadId);
    }
  }

  /** The rollout file of `threadId`, or `THREAD_NOT_FOUND`. */
  async rolloutPath(threadId: string): Promise<string> {
    let path: string | undefined;
    try {
      path = await this.agent.rollouts.findRolloutPath(threadId);
    } catch (error) {
      throw this.#threadLookupError(error, threadId);
    }
    if (path === undefined)
      throw this.#threadLookupError(new CoreError('THREAD_NOT_FOUND', `thread ${threadId} not found`), threadId);
    return path;
  }

  /**
   * Waits for the thread's background registration and prewarm (when agent identity applies);
   * throws the SPEC §4.5 event when identity registration failed.
   */
  async settle(thread: AgentThread, login: Login): Promise<void> {
    if (!this.identityApplies(login)) return;
    await thread.prewarmed;
    const failed = this.#events.find(
      (event) => event.threadId === thread.id && event.code === 'IDENTITY_REGISTRATION_FAILED',
    );
    if (failed !== undefined) {
      throw new CliError('IDENTITY_REGISTRATION_FAILED', withNetworkReason(failed.message, failed.cause), {
        cause: failed.cause,
      });
    }
  }

  /** Closes the runtime (its background spans end), then prints the `--trace` tree. */
  async close(): Promise<void> {
    await this.agent.runtime.close();
    this.trace?.print(this.#invocation.io);
  }

  #threadLookupError(error: unknown, threadId: string): unknown {
    if (!CoreError.isInstance(error)) return error;
    if (error.code === 'THREAD_NOT_FOUND') {
      return new CliError(
        'THREAD_NOT_FOUND',
        `no thread ${threadId} in ${this.#invocation.settings.home}/sessions (\`agent-cli thread list\` shows the threads there)`,
        { cause: error },
      );
    }
    if (error.code === 'THREAD_ID_INVALID') return new CliError('USAGE', error.message, { cause: error });
    return error;
  }
}

/** Runs `body` with a session, closing the runtime afterwards whatever happens. */
export async function withSession<T>(invocation: Invocation, body: (session: CliSession) => Promise<T>): Promise<T> {
  const session = new CliSession(invocation);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}
