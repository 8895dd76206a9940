import { formatMillisTimestamp, type AuthTokens } from '@agent-identity/protocol';
import type { AssertionVerification } from '@agent-identity/verifier';
import { BackendError } from './backend-error.js';
import type { BackendContext } from './backend-context.js';
import type { BackendCounters } from './counters.js';
import { parseFault, type Fault, type FaultEndpoint, type PendingFault } from './faults.js';
import type { AgentRecord, TaskRecord } from '@agent-identity/registry';
import type { DownstreamRequestRecord } from './request-log.js';
import { mintCodexLogin, type CodexLoginRequest } from './codex-login-minting.js';
import { mintIdentityJwt, type IdentityJwtRequest, type MintedIdentityJwt } from './identity-jwt-minting.js';
import { checkTaskIdAnswer, type TaskIdAnswerForm } from './options.js';
import type { WebSocketRecord } from './responses-socket.js';
import type { ResponsesWebSocketHub } from './responses-websocket.js';

/**
 * Test and operator controls of a running backend; `/_admin/…` exposes the same over HTTP.
 * Everything returned is a copy.
 */
export class BackendAdmin {
  readonly #context: BackendContext;
  readonly #websockets: ResponsesWebSocketHub;

  constructor(context: BackendContext, websockets: ResponsesWebSocketHub) {
    this.#context = context;
    this.#websockets = websockets;
  }

  agents(): Promise<AgentRecord[]> {
    return this.#context.registry.agents();
  }

  tasks(): Promise<TaskRecord[]> {
    return this.#context.registry.tasks();
  }

  /** Accepted downstream requests and WebSocket handshakes, oldest first (the newest 1 000). */
  requests(): DownstreamRequestRecord[] {
    return this.#context.requests.list();
  }

  counters(): BackendCounters {
    return this.#context.counters.snapshot();
  }

  /**
   * Later assertions for the task get `task_invalid`, and its open WebSockets are closed with
   * `CREDENTIALS_REVOKED_CLOSE_CODE` (4401), reason `task_invalid` — on every instance sharing the
   * registry. `undefined` for an unknown task.
   */
  async revokeTask(taskId: string): Promise<TaskRecord | undefined> {
    const task = await this.#context.registry.revokeTask(taskId, this.#timestamp());
    if (task === undefined) return undefined;
    // Here at once; other instances when the notification reaches them.
    this.#context.applyChange({ kind: 'task_revoked', agentRuntimeId: task.agentRuntimeId, taskId: task.taskId });
    return task;
  }

  /**
   * Later assertions get `unknown_agent`, task registrations 404, and the agent's open WebSockets
   * are closed with 4401, reason `unknown_agent` — on every instance sharing the registry.
   * `undefined` for an unknown agent.
   */
  async revokeAgent(agentRuntimeId: string): Promise<AgentRecord | undefined> {
    const agent = await this.#context.registry.revokeAgent(agentRuntimeId, this.#timestamp());
    if (agent === undefined) return undefined;
    this.#context.applyChange({ kind: 'agent_revoked', agentRuntimeId: agent.agentRuntimeId });
    return agent;
  }

  /** The open `…/v1/responses` WebSockets: whom they act for and what they have pending. */
  webSockets(): WebSocketRecord[] {
    return this.#websockets.webSockets();
  }

  /** What the downstream endpoint's verifier says about an `Authorization` value. */
  verify(header: string): Promise<AssertionVerification> {
    return this.#context.verifier.verifyAssertion(header);
  }

  /** The next `times` (default 1) calls of `endpoint` misbehave; `FAULT_INVALID` for a bad fault. */
  injectFault(endpoint: FaultEndpoint, fault: Fault, options: { times?: number } = {}): void {
    this.#context.faults.add(parseFault(endpoint, fault, options.times ?? 1));
  }

  faults(): PendingFault[] {
    return this.#context.faults.list();
  }

  clearFaults(): void {
    this.#context.faults.clear();
  }

  /** Close WebSockets older than `maxAgeMs` (code 4000), now and from now on; `null` lifts the limit. */
  setWebSocketMaxAge(maxAgeMs: number | null): void {
    if (maxAgeMs !== null && (!Number.isSafeInteger(maxAgeMs) || maxAgeMs < 0)) {
      throw new BackendError('OPTIONS_INVALID', 'maxAgeMs must be a non-negative integer or null');
    }
    this.#websockets.setMaxAge(maxAgeMs);
  }

  webSocketMaxAge(): number | null {
    return this.#websockets.maxAgeMs;
  }

  /**
   * A ChatGPT login of a configured user (default: the first), as `auth.json`'s `tokens`: write
   * it with core's `writeCodexLogin({ codexHome, tokens })` and Codex or the runtime is logged in
   * as that user. Registers nothing.
   */
  mintCodexLogin(request: CodexLoginRequest = {}): AuthTokens {
    return mintCodexLogin(this.#context, request);
  }

  /**
   * A new agent, registered for a configured user, as an identity JWT signed with the key of the
   * backend's JWKS (CODEX-CURRENT.md "JWT identities"). The JWT holds the agent's private key.
   */
  mintIdentityJwt(request: IdentityJwtRequest = {}): Promise<MintedIdentityJwt> {
    return mintIdentityJwt(this.#context, request);
  }

  /**
   * How the AuthAPI's task registration answers from now on: `{"task_id"}` or
   * `{"encrypted_task_id"}`; `OPTIONS_INVALID` for another value.
   */
  setTaskIdAnswer(form: TaskIdAnswerForm): void {
    this.#context.authApi.taskIdAnswer = checkTaskIdAnswer(form);
  }

  taskIdAnswer(): TaskIdAnswerForm {
    return this.#context.authApi.taskIdAnswer;
  }

  /**
   * Forgets agents, tasks, biscuits (in the registry: for every instance on it), requests,
   * counters, faults and the WebSocket age limit, and restores the AuthAPI's task-id answer to the option's.
   */
  async reset(): Promise<void> {
    const context = this.#context;
    await context.registry.clear();
    context.applyChange({ kind: 'reset' });
    context.requests.clear();
    context.counters.reset();
    context.faults.clear();
    this.#websockets.setMaxAge(null);
    context.authApi.taskIdAnswer = context.options.taskIdAnswer;
  }

  #timestamp(): string {
    return formatMillisTimestamp(this.#context.options.now());
  }
}
