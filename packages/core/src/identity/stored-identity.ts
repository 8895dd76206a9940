import { inspect } from 'node:util';
import {
  toUnionAgentIdentityRecord,
  type AgentIdentityRecord,
  type StoredAgentIdentityRecord,
} from '@agent-identity/protocol';
import { AgentSigningKey } from '@agent-identity/crypto';
import { isSameIdentityRecord } from './identity-record-match.js';

/**
 * The stored identity in memory (SPEC §2.5): the record's public fields, the private key parsed
 * once into an {@link AgentSigningKey}, the SSH public key (always re-derived from the private key,
 * never read from disk) and the binding id. Never shows the private key: `toJSON`, `toString` and
 * `util.inspect` list the public fields only.
 */
export class StoredIdentity {
  readonly agentRuntimeId: string;
  readonly workspaceId: string;
  readonly chatgptUserId: string | undefined;
  /** RFC 3339 UTC to the second. */
  readonly registeredAt: string;
  /** `"chatgpt-account-" + workspaceId`. */
  readonly bindingId: string;
  readonly key: AgentSigningKey;
  /** The record this was parsed from: the cache compares it, the private key included. */
  readonly #record: AgentIdentityRecord;

  private constructor(record: AgentIdentityRecord, key: AgentSigningKey) {
    this.#record = { ...record };
    this.agentRuntimeId = record.agent_runtime_id;
    this.workspaceId = record.workspace_id;
    this.chatgptUserId = record.chatgpt_user_id === '' ? undefined : record.chatgpt_user_id;
    this.registeredAt = record.registered_at;
    this.bindingId = `chatgpt-account-${record.workspace_id}`;
    this.key = key;
  }

  /**
   * Parses the record's private key; a record of any shape is read as the union. Throws
   * `CryptoError` `KEY_INVALID` when the key is not strict base64 PKCS#8 v1/v2 or embeds a public
   * key that does not match its seed.
   */
  static fromRecord(record: StoredAgentIdentityRecord): StoredIdentity {
    const union = toUnionAgentIdentityRecord(record);
    return new StoredIdentity(union, AgentSigningKey.fromPkcs8Base64(union.agent_private_key));
  }

  /** The identity of a record just made from `key` (registration): no need to parse it back. */
  static fromRegistration(record: AgentIdentityRecord, key: AgentSigningKey): StoredIdentity {
    return new StoredIdentity(record, key);
  }

  get sshPublicKey(): string {
    return this.key.sshPublicKey;
  }

  /** Whether this was parsed from a record with the same content as `record`. */
  isFrom(record: AgentIdentityRecord): boolean {
    const own = this.#record;
    return (
      own.agent_private_key === record.agent_private_key &&
      own.agent_runtime_id === record.agent_runtime_id &&
      own.workspace_id === record.workspace_id &&
      own.chatgpt_user_id === record.chatgpt_user_id &&
      own.registered_at === record.registered_at
    );
  }

  /**
   * Whether `record` is this identity's registration (same runtime id and key; other fields may
   * have been rewritten): what a compare-and-delete of this identity compares.
   */
  isSameRegistration(record: AgentIdentityRecord): boolean {
    return isSameIdentityRecord(this.#record, record);
  }

  toJSON(): Record<string, string | undefined> {
    return {
      agentRuntimeId: this.agentRuntimeId,
      workspaceId: this.workspaceId,
      chatgptUserId: this.chatgptUserId,
      registeredAt: this.registeredAt,
      sshPublicKey: this.sshPublicKey,
    };
  }

  toString(): string {
    return `StoredIdentity(${this.agentRuntimeId})`;
  }

  [inspect.custom](): string {
    return `StoredIdentity ${inspect(this.toJSON())}`;
  }
}

/**
 * Parses each record once (CONTRIBUTING: never parse a key per request): a load that returns the
 * same record content as the previous one gets the same {@link StoredIdentity} back.
 */
export class StoredIdentityCache {
  #last: StoredIdentity | undefined;

  /** The identity of `record`; throws like {@link StoredIdentity.fromRecord}. */
  get(record: AgentIdentityRecord): StoredIdentity {
    if (this.#last?.isFrom(record) !== true) this.#last = StoredIdentity.fromRecord(record);
    return this.#last;
  }

  /** Remembers an identity built without parsing (a fresh registration). */
  remember(identity: StoredIdentity): StoredIdentity {
    this.#last = identity;
    return identity;
  }
}
