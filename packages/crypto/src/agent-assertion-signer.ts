import { formatSecondsTimestamp } from '@agent-identity/protocol';
import { buildAgentAssertion } from './agent-assertion.js';
import type { AgentSigningKey } from './agent-signing-key.js';

/** The task an assertion signer speaks for. */
export interface AgentAssertionTask {
  agentRuntimeId: string;
  taskId: string;
}

/**
 * Assertion headers for one (key, runtime, task), memoized per whole second (SPEC §3.6):
 * Ed25519 is deterministic, so within a second the header cannot change, and a repeat costs a
 * number compare. Signing and timestamp formatting happen only when the second changes.
 */
export class AgentAssertionSigner {
  readonly #key: AgentSigningKey;
  readonly #agentRuntimeId: string;
  readonly #taskId: string;
  // NaN equals nothing, so the first call always signs.
  #second = Number.NaN;
  #header = '';

  constructor(key: AgentSigningKey, task: AgentAssertionTask) {
    this.#key = key;
    this.#agentRuntimeId = task.agentRuntimeId;
    this.#taskId = task.taskId;
  }

  get agentRuntimeId(): string {
    return this.#agentRuntimeId;
  }

  get taskId(): string {
    return this.#taskId;
  }

  /**
   * `AgentAssertion <token>` for the second containing `epochMs` (truncated, never rounded up).
   * A time outside years 0000–9999 or not finite throws protocol's `TIMESTAMP_OUT_OF_RANGE`.
   */
  header(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.#second) {
      this.#header = buildAgentAssertion(this.#key, {
        agentRuntimeId: this.#agentRuntimeId,
        taskId: this.#taskId,
        timestamp: formatSecondsTimestamp(second * 1000),
      });
      this.#second = second;
    }
    return this.#header;
  }
}
