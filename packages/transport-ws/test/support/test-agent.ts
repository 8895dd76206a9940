import { generateKeyPairSync } from 'node:crypto';
import { StoredIdentity } from '@agent-identity/core';
import {
  agentAssertionMessage,
  encodeAgentAssertionHeader,
  encodeBase64,
  formatSecondsTimestamp,
} from '@agent-identity/protocol';

/**
 * An agent key of the test's own (a fresh Ed25519 key, loaded the way core loads the auth file's
 * key) that signs `AgentAssertion` headers for any task at any time: valid ones, and the
 * out-of-window ones a guard must refuse.
 */
export class TestAgent {
  readonly agentRuntimeId: string;
  readonly #identity: StoredIdentity;

  constructor(agentRuntimeId: string) {
    this.agentRuntimeId = agentRuntimeId;
    const { privateKey } = generateKeyPairSync('ed25519');
    this.#identity = StoredIdentity.fromRecord({
      workspace_id: 'account-test',
      agent_runtime_id: agentRuntimeId,
      agent_private_key: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      registered_at: '2026-01-01T00:00:00Z',
    });
  }

  get sshPublicKey(): string {
    return this.#identity.sshPublicKey;
  }

  /** `AgentAssertion <token>` for `taskId`, signed for the second of `epochMs`. */
  assertion(taskId: string, epochMs: number = Date.now(), agentRuntimeId: string = this.agentRuntimeId): string {
    const timestamp = formatSecondsTimestamp(epochMs);
    const signature = this.#identity.key.sign(agentAssertionMessage(agentRuntimeId, taskId, timestamp));
    return encodeAgentAssertionHeader({
      agent_runtime_id: agentRuntimeId,
      signature: encodeBase64(signature),
      task_id: taskId,
      timestamp,
    });
  }
}
