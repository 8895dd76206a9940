import { AgentSigningKey, buildAgentAssertion } from '@agent-identity/crypto';
import { formatSecondsTimestamp } from '@agent-identity/protocol';
import { createAgentVerifier, type AgentVerifier, type AgentVerifierOptions, type TaskStatus } from '../src/index.js';
import { goldenEpochMs, goldenSeed } from './golden-vectors.js';

/**
 * A verifier over in-memory registries the test can change, with a clock it sets: the golden
 * agent `agent-123` is registered, its task `task-123` active.
 */
export class VerifierHarness {
  readonly agentKey = AgentSigningKey.fromSeed(goldenSeed);
  readonly keys = new Map<string, string>([['agent-123', this.agentKey.sshPublicKey]]);
  readonly tasks = new Map<string, TaskStatus>([['agent-123/task-123', 'active']]);
  nowMs = goldenEpochMs;
  readonly verifier: AgentVerifier;

  constructor(options: Partial<AgentVerifierOptions> = {}) {
    this.verifier = createAgentVerifier({
      keys: { publicKey: (id) => this.keys.get(id) },
      tasks: { taskStatus: async (id, taskId) => Promise.resolve(this.tasks.get(`${id}/${taskId}`) ?? 'unknown') },
      now: () => this.nowMs,
      ...options,
    });
  }

  /** A header for the golden agent signed at `epochMs` (default: the harness clock). */
  header(claims: { agentRuntimeId?: string; taskId?: string; epochMs?: number; key?: AgentSigningKey } = {}): string {
    return buildAgentAssertion(claims.key ?? this.agentKey, {
      agentRuntimeId: claims.agentRuntimeId ?? 'agent-123',
      taskId: claims.taskId ?? 'task-123',
      timestamp: formatSecondsTimestamp(claims.epochMs ?? this.nowMs),
    });
  }
}
