import { verifyAgentAssertionSignature, verifyTaskRegistration, type AgentPublicKey } from '@agent-identity/crypto';
import { Instrumentation, type AgentAssertionEnvelope, type TelemetryCounter } from '@agent-identity/protocol';
import { parseAssertion } from './assertion-parser.js';
import { LruCache } from './lru-cache.js';
import { PublicKeyCache } from './public-key-cache.js';
import type { AgentKeyRegistry, TaskRegistry } from './registries.js';
import { isSignatureEncoding, signedEpochMs } from './signed-fields.js';
import { checkTimeWindow } from './time-window.js';
import {
  reject,
  type AssertionVerification,
  type Rejection,
  type TaskRegistrationVerification,
  type VerifiedAssertion,
} from './verification-result.js';
import { resolveVerifierOptions, type AgentVerifierOptions } from './verifier-options.js';

/** The fields of a task registration body (SPEC §3.4), as the backend received them. */
/** The span of one verification (README: *Telemetry*). */
export const VERIFY_SPAN = 'agent_identity.verifier.verify';

export interface TaskRegistrationClaims {
  agentRuntimeId: string;
  timestamp: string;
  /** Standard base64 Ed25519 signature over `"{agentRuntimeId}:{timestamp}"`. */
  signature: string;
}

/** A header whose signature verified, and the exact key text it verified with. */
interface VerifiedHeader {
  envelope: AgentAssertionEnvelope;
  identity: VerifiedAssertion;
  sshPublicKey: string;
}

/**
 * Verifies `AgentAssertion` headers and task-registration signatures (README: the rules, step by step).
 * Never throws for what a caller sent; registry errors propagate.
 */
export class AgentVerifier {
  readonly #keys: AgentKeyRegistry;
  readonly #tasks: TaskRegistry | undefined;
  readonly #windowSeconds: number;
  readonly #now: () => number;
  readonly #publicKeys: PublicKeyCache;
  readonly #verifiedHeaders: LruCache<string, VerifiedHeader>;
  /** Task-registration signatures verified, keyed by {@link registrationKey}, to the SSH key that verified them. */
  readonly #verifiedRegistrations: LruCache<string, string>;
  readonly #instrumentation: Instrumentation;
  /** Verifications by `kind` (`assertion`, `task_registration`) and `result` (`accepted` or the reason). */
  readonly #results: TelemetryCounter;

  constructor(options: AgentVerifierOptions) {
    const resolved = resolveVerifierOptions(options);
    this.#keys = resolved.keys;
    this.#tasks = resolved.tasks;
    this.#windowSeconds = resolved.windowSeconds;
    this.#now = resolved.now;
    this.#publicKeys = new PublicKeyCache(resolved.keyCacheSize);
    this.#verifiedHeaders = new LruCache(resolved.resultCacheSize);
    this.#verifiedRegistrations = new LruCache(resolved.resultCacheSize);
    this.#instrumentation = new Instrumentation('@agent-identity/verifier', resolved.telemetry);
    this.#results = this.#instrumentation.counter({
      name: 'agent_identity.verifier.results',
      description: 'Verifications by kind and result (accepted, or the refusal reason)',
      unit: '{verification}',
    });
  }

  /** `header`: the whole `Authorization` value, `AgentAssertion <token>`. */
  verifyAssertion(header: string | undefined): Promise<AssertionVerification> {
    return this.#measured('assertion', () => this.#verifyAssertion(header));
  }

  async #verifyAssertion(header: string | undefined): Promise<AssertionVerification> {
    // parse (a header verified before was parsed before).
    if (typeof header !== 'string') return reject('malformed', 'no AgentAssertion header');
    const cached = this.#verifiedHeaders.get(header);
    const parsed = cached ?? parseAssertion(header);
    if (!('envelope' in parsed)) return parsed;
    const { envelope, identity } = parsed;

    // window, on every call: a cached header ages like any other.
    const outOfWindow = checkTimeWindow(identity.epochMs, this.#now(), this.#windowSeconds);
    if (outOfWindow !== undefined) return outOfWindow;

    // key lookup, on every call: the agent may have been revoked since.
    const sshPublicKey = await this.#registeredKey(identity.agentRuntimeId);
    if (typeof sshPublicKey !== 'string') return sshPublicKey;

    // task check, on every call: the task may have been revoked since.
    const taskRejection = await this.#checkTask(identity.agentRuntimeId, identity.taskId);
    if (taskRejection !== undefined) return taskRejection;

    // signature, skipped only for this very header already verified with this very key.
    if (cached?.sshPublicKey !== sshPublicKey) {
      const publicKey = this.#publicKeys.get(sshPublicKey, identity.agentRuntimeId);
      if (!verifyAgentAssertionSignature(publicKey, envelope)) {
        return reject('bad_signature', `AgentAssertion signature does not verify for agent ${identity.agentRuntimeId}`);
      }
      this.#verifiedHeaders.set(header, { envelope, identity, sshPublicKey });
    }
    return { ok: true, identity: { ...identity } };
  }

  /** The `runtime:timestamp` signature of a task registration. */
  verifyTaskRegistration(claims: TaskRegistrationClaims): Promise<TaskRegistrationVerification> {
    return this.#measured('task_registration', () => this.#verifyTaskRegistration(claims));
  }

  async #verifyTaskRegistration(claims: TaskRegistrationClaims): Promise<TaskRegistrationVerification> {
    // parse.
    const { agentRuntimeId, timestamp, signature } = claims;
    if (typeof agentRuntimeId !== 'string') return reject('malformed', 'agent runtime id is not a string');
    const epochMs = signedEpochMs(timestamp);
    if (epochMs === undefined) {
      return reject('malformed', 'task registration timestamp is not RFC 3339 UTC to the second');
    }
    if (!isSignatureEncoding(signature)) {
      return reject('malformed', 'task registration signature is not standard base64 of 64 bytes');
    }

    // window.
    const outOfWindow = checkTimeWindow(epochMs, this.#now(), this.#windowSeconds);
    if (outOfWindow !== undefined) return outOfWindow;

    // key lookup.
    const sshPublicKey = await this.#registeredKey(agentRuntimeId);
    if (typeof sshPublicKey !== 'string') return sshPublicKey;

    // signature, skipped only for these very claims already verified with this very key.
    const claimsKey = registrationKey(agentRuntimeId, timestamp, signature);
    if (this.#verifiedRegistrations.get(claimsKey) !== sshPublicKey) {
      const publicKey = this.#publicKeys.get(sshPublicKey, agentRuntimeId);
      if (!verifyTaskRegistration(publicKey, agentRuntimeId, timestamp, signature)) {
        return reject('bad_signature', `task registration signature does not verify for agent ${agentRuntimeId}`);
      }
      this.#verifiedRegistrations.set(claimsKey, sshPublicKey);
    }
    return { ok: true, identity: { agentRuntimeId, timestamp, epochMs } };
  }

  /**
   * The registered public key of an agent, imported once (the same cache verification uses), or
   * `undefined` when the registry does not know it. For services that also seal to agents (a
   * backend sealing task ids to `publicKey.x25519PublicKey()`, which the key computes once).
   */
  async publicKeyOf(agentRuntimeId: string): Promise<AgentPublicKey | undefined> {
    const sshPublicKey = await this.#registeredKey(agentRuntimeId);
    return typeof sshPublicKey === 'string' ? this.#publicKeys.get(sshPublicKey, agentRuntimeId) : undefined;
  }

  /** One verification in a span; its result (`accepted` or the reason, never the message) counted. */
  #measured<Result extends { ok: true } | { ok: false; reason: string }>(
    kind: 'assertion' | 'task_registration',
    verify: () => Promise<Result>,
  ): Promise<Result> {
    return this.#instrumentation.span(VERIFY_SPAN, { 'agent_identity.verifier.kind': kind }, async (span) => {
      const verification = await verify();
      const result = verification.ok ? 'accepted' : verification.reason;
      span.set({ 'agent_identity.verifier.result': result });
      this.#results.add(1, { kind, result });
      return verification;
    });
  }

  async #registeredKey(agentRuntimeId: string): Promise<string | Rejection<'unknown_agent'>> {
    const sshPublicKey: unknown = await this.#keys.publicKey(agentRuntimeId);
    return typeof sshPublicKey === 'string'
      ? sshPublicKey
      : reject('unknown_agent', `agent ${agentRuntimeId} is not registered`);
  }

  async #checkTask(
    agentRuntimeId: string,
    taskId: string,
  ): Promise<Rejection<'unknown_task' | 'task_invalid'> | undefined> {
    if (this.#tasks === undefined) return undefined;
    const status = await this.#tasks.taskStatus(agentRuntimeId, taskId);
    if (status === 'active') return undefined;
    return status === 'revoked'
      ? reject('task_invalid', `task ${taskId} of agent ${agentRuntimeId} has been revoked`)
      : reject('unknown_task', `task ${taskId} is not registered for agent ${agentRuntimeId}`);
  }
}

/**
 * One string per task-registration claims. The signature (strict base64) and the timestamp (RFC
 * 3339) hold no newline, so the runtime id after them may hold anything without two claims
 * colliding.
 */
function registrationKey(agentRuntimeId: string, timestamp: string, signature: string): string {
  return `${signature}\n${timestamp}\n${agentRuntimeId}`;
}

/** An {@link AgentVerifier}; throws `VerifierError` `OPTIONS_INVALID` for bad sizes or window. */
export function createAgentVerifier(options: AgentVerifierOptions): AgentVerifier {
  return new AgentVerifier(options);
}
