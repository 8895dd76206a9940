import { chmod, stat } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import {
  agentIdentityJwtOf,
  AuthFileError,
  parseAgentIdentityRecord,
  parseAuthFileObject,
  serializeAuthFile,
  toUnionAgentIdentityRecord,
  type AgentIdentityRecord,
  type AuthFileObject,
  type AuthTokens,
  type StoredAgentIdentityRecord,
} from '@agent-identity/protocol';
import { writeFileAtomic } from './atomic-file.js';
import { authFileCorrupt } from './auth-file-corrupt.js';
import { CoreError } from '../runtime/errors.js';
import { requiredText } from '../runtime/option-checks.js';
import { FileLock, type FileLockOptions } from './file-lock.js';
import { isSameIdentityRecord } from '../identity/identity-record-match.js';
import { recordFillOf } from '../identity/identity-record-fill.js';
import type { IdentityStore } from './identity-store.js';
import { silentLogger, type Logger } from '../runtime/logger.js';
import { ReentrantLock } from '../primitives/reentrant-lock.js';
import { KeyedSerialQueue } from '../primitives/serial-queue.js';
import { StatCachedFile } from './stat-cached-file.js';

/** The login keys of a Codex auth file, as {@link FileIdentityStore.saveLogin} writes them. */
export interface CodexLoginKeys {
  /** Codex's `auth_mode` value for this login: `chatgpt` or `apikey`. */
  readonly authMode: 'chatgpt' | 'apikey';
  readonly tokens: AuthTokens | null;
  readonly apiKey: string | null;
  /** When the tokens were obtained (ISO 8601); Codex refreshes them from there. */
  readonly lastRefresh: string;
}

export interface FileIdentityStoreOptions {
  /** The auth file (Codex: `$CODEX_HOME/auth.json`). */
  readonly path: string;
  /**
   * The cross-process lock on `<path>.lock` (timeouts, staleness). Defaults: wait up to 120 s,
   * stale after 10 s without a heartbeat.
   */
  readonly lock?: FileLockOptions;
  /** Told (warn) when the `agent_identity` slot holds something that is not a record. */
  readonly logger?: Logger;
}

/** The auth file as read: the whole document (kept for rewrites) and our slot in it, as the union. */
interface AuthFileContents {
  readonly document: AuthFileObject | undefined;
  readonly record: AgentIdentityRecord | undefined;
  /** The slot's identity JWT (`auth_mode: "agentIdentity"`), not verified. */
  readonly identityJwt: string | undefined;
  /** Whether the slot on disk is some other shape than `record` (one Codex version's fields only). */
  readonly slotNeedsUnion: boolean;
}

const MAX_REWRITE_ATTEMPTS = 3;

/**
 * Sections of every store in this process, by lock path: two stores on one file in one process
 * queue here instead of polling each other's lock file.
 */
const inProcessSections = new KeyedSerialQueue();

/**
 * The identity store of SPEC §2.2: the `agent_identity` slot of a Codex auth file.
 *
 * - **Load**: one `stat` per call; the file is read and parsed again only when it changed. A
 *   record of any shape (Codex 0.122's, a current Codex's, or the union) loads as the union; the
 *   fields its shape lacks come from the login's ID token in the same file (`email`,
 *   `chatgpt_plan_type`), else from the defaults of `toUnionAgentIdentityRecord`.
 * - **Save**: always the union of both field sets, which every Codex reads — never the 0.122-only
 *   shape a current Codex cannot parse (CODEX-CURRENT).
 * - **Upgrade on load**: a record of one Codex version's shape (a home written by an earlier
 *   agent-cli, or by a Codex release that rewrote it in its own shape) is rewritten as the union
 *   the first time it is loaded, under the lock, so a home this store touched is readable by every
 *   Codex. An upgrade that cannot be written is a warning, never a failed load.
 * - **JWT form** (`auth_mode: "agentIdentity"`, `agent_identity` a JWT string): `load()` finds no
 *   record, {@link FileIdentityStore.loadIdentityJwt} returns the JWT, and `save` refuses
 *   (`AUTH_FILE_HOLDS_IDENTITY_JWT`): the user's credential is never replaced behind their back.
 * - **Preserve**: a rewrite keeps every other key of the document and every unknown key of the
 *   record, in their order.
 * - **Atomic**: temp file in the same folder, fsync, rename, fsync the folder; file `0600`,
 *   folders created `0700`.
 * - **Permissions**: a file holding a record that other users may read is tightened to `0600`
 *   when this process owns it, with one warning (else only the warning).
 * - **Corrupt file**: reported as `AUTH_FILE_CORRUPT` and never overwritten (`save` and `delete`
 *   refuse too): losing the user's tokens would be worse than failing.
 * - **Lock**: `withExclusiveLock` queues in-process, then takes a cross-process {@link FileLock}.
 *   It is reentrant, and `save`/`delete` take it themselves, so a read-modify-write of the file
 *   never interleaves with another process's.
 */
export class FileIdentityStore implements IdentityStore {
  readonly #path: string;
  readonly #file: StatCachedFile<AuthFileContents>;
  readonly #lock: ReentrantLock;
  readonly #logger: Logger;
  #warnedReadableByOthers = false;

  /** Throws `OPTIONS_INVALID` without a `path`. */
  constructor(options: FileIdentityStoreOptions) {
    const path = requiredText('path', options.path);
    this.#path = path;
    const logger = options.logger ?? silentLogger;
    this.#logger = logger;
    this.#file = new StatCachedFile(path, (text) => parseContents(path, text, logger));
    const fileLock = new FileLock(`${path}.lock`, options.lock);
    this.#lock = new ReentrantLock((section) => inProcessSections.run(fileLock.path, () => fileLock.withLock(section)));
  }

  get path(): string {
    return this.#path;
  }

  /** How many times the auth file was read rather than answered from the stat-checked cache. */
  get fileReads(): number {
    return this.#file.readCount;
  }

  async load(): Promise<AgentIdentityRecord | undefined> {
    const { record, slotNeedsUnion } = await this.#read();
    if (record === undefined) return undefined;
    if (slotNeedsUnion) await this.#upgradeToUnion();
    return structuredClone(record);
  }

  /** The slot's identity JWT when the file is in the JWT form, else `undefined`. Not verified. */
  async loadIdentityJwt(): Promise<string | undefined> {
    return (await this.#read()).identityJwt;
  }

  async save(record: StoredAgentIdentityRecord): Promise<void> {
    await this.#lock.run(() =>
      this.#rewrite(({ document, identityJwt }) => {
        if (identityJwt !== undefined) {
          throw new CoreError(
            'AUTH_FILE_HOLDS_IDENTITY_JWT',
            `the auth file ${this.#path} holds an agent identity JWT (auth_mode "agentIdentity"); it is not replaced by a registered identity`,
          );
        }
        const union = toUnionAgentIdentityRecord(record, recordFillOf(document));
        return { ...document, agent_identity: union };
      }),
    );
  }

  delete(expected: StoredAgentIdentityRecord): Promise<boolean> {
    return this.#lock.run(() =>
      this.#rewrite(({ document, record }) => {
        if (document === undefined || record === undefined || !isSameIdentityRecord(record, expected)) {
          return undefined;
        }
        const { agent_identity: _, ...rest } = document;
        return rest;
      }),
    );
  }

  /**
   * Replaces the login keys of the file (`tokens`, `OPENAI_API_KEY`, `last_refresh`, and
   * `auth_mode` where the file has one) under the lock, keeping the agent identity record and
   * every other key: what {@link writeCodexLogin} writes through. An identity JWT in the slot is
   * a login of its own (`auth_mode: "agentIdentity"`), so it is replaced, not kept.
   */
  async saveLogin(login: CodexLoginKeys): Promise<void> {
    await this.#lock.run(() =>
      this.#rewrite(({ document = {}, identityJwt }) => {
        const { agent_identity: slot, auth_mode: authMode, ...rest } = document;
        return {
          ...rest,
          ...(authMode === undefined && identityJwt === undefined ? {} : { auth_mode: login.authMode }),
          OPENAI_API_KEY: login.apiKey,
          tokens: login.tokens,
          last_refresh: login.lastRefresh,
          ...(slot === undefined || identityJwt !== undefined ? {} : { agent_identity: slot }),
        };
      }),
    );
  }

  withExclusiveLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.#lock.run(fn);
  }

  /** Rewrites a one-version slot as the union (see the class's "Upgrade on load"). */
  async #upgradeToUnion(): Promise<void> {
    try {
      const rewritten = await this.#lock.run(() =>
        this.#rewrite(({ document, record, slotNeedsUnion }) =>
          document === undefined || record === undefined || !slotNeedsUnion
            ? undefined
            : { ...document, agent_identity: record },
        ),
      );
      if (rewritten) {
        this.#logger.info("agent identity: rewrote the auth file's record with the fields of every Codex version", {
          path: this.#path,
        });
      }
    } catch (error) {
      this.#logger.warn(
        "agent identity: could not rewrite the auth file's record with the fields of every Codex version",
        {
          path: this.#path,
          error: error instanceof Error ? error.message : String(error),
        },
      );
    }
  }

  async #read(): Promise<AuthFileContents> {
    try {
      const readsBefore = this.#file.readCount;
      const contents = await this.#file.read();
      if (contents.record !== undefined && this.#file.readCount !== readsBefore) await this.#restrictToOwner();
      return contents;
    } catch (error) {
      if (CoreError.isInstance(error)) throw error;
      throw new CoreError('AUTH_FILE_IO', `cannot read the auth file ${this.#path}`, { cause: error });
    }
  }

  /**
   * The file holds the agent's private key: if other users may read it (a copy, an editor, a
   * umask of 022), it is tightened to `0600` when this process owns it — as Codex and our writes
   * create it — and warned about once; a file of another owner is only warned about.
   */
  async #restrictToOwner(): Promise<void> {
    const { mode, uid } = await stat(this.#path);
    if ((mode & 0o077) === 0) return;
    const owned = uid === process.getuid?.();
    if (owned) {
      await chmod(this.#path, 0o600);
      await this.#file.adoptMetadataChange();
    }
    if (this.#warnedReadableByOthers) return;
    this.#warnedReadableByOthers = true;
    this.#logger.warn(
      owned
        ? 'agent identity: the auth file holding the agent key was readable by other users; restricted it to 0600'
        : 'agent identity: the auth file holding the agent key is readable by other users and not ours to change; restrict it to 0600',
      { path: this.#path, mode: `0${(mode & 0o777).toString(8)}` },
    );
  }

  /**
   * Read-modify-write of the document: `change` returns the new document, or `undefined` for no
   * write. Other software (Codex refreshing its tokens) writes the file without our lock, so the
   * write happens only if the file is still the version read; otherwise it is read again.
   */
  async #rewrite(change: (contents: AuthFileContents) => AuthFileObject | undefined): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_REWRITE_ATTEMPTS; attempt += 1) {
      const next = change(await this.#read());
      if (next === undefined) return false;
      if (await this.#write(next, this.#file.signature)) return true;
    }
    throw new CoreError('AUTH_FILE_IO', `the auth file ${this.#path} kept changing while being rewritten; try again`, {
      isRetryable: true,
    });
  }

  async #write(document: AuthFileObject, unlessChangedFrom: string | undefined): Promise<boolean> {
    try {
      // Every write happens under the exclusive lock: a temp file found now is a dead writer's.
      return await writeFileAtomic(this.#path, serializeAuthFile(document), {
        removeAbandonedTemps: true,
        ...(unlessChangedFrom === undefined ? {} : { unlessChangedFrom }),
      });
    } catch (error) {
      throw new CoreError('AUTH_FILE_IO', `cannot write the auth file ${this.#path}`, { cause: error });
    } finally {
      this.#file.invalidate();
    }
  }
}

/**
 * The document must be a JSON object, else the file is corrupt (and never overwritten). Inside it
 * only our slot is checked: other programs' keys are theirs. A slot that is not a valid record is
 * self-healed like a record whose key does not parse (SPEC §4.1): it reads as empty, with a
 * warning, and the next registration replaces it.
 */
function parseContents(path: string, text: string | undefined, logger: Logger): AuthFileContents {
  if (text === undefined)
    return { document: undefined, record: undefined, identityJwt: undefined, slotNeedsUnion: false };
  let document: AuthFileObject;
  try {
    document = parseAuthFileObject(text);
  } catch (error) {
    if (!AuthFileError.isInstance(error)) throw error;
    throw authFileCorrupt(path, error);
  }
  const slot = document.agent_identity;
  const identityJwt = agentIdentityJwtOf(document);
  if (slot == null || identityJwt !== undefined)
    return { document, record: undefined, identityJwt, slotNeedsUnion: false };
  try {
    const record = toUnionAgentIdentityRecord(parseAgentIdentityRecord(slot), recordFillOf(document));
    return { document, record, identityJwt: undefined, slotNeedsUnion: !isDeepStrictEqual(slot, record) };
  } catch (error) {
    if (!AuthFileError.isInstance(error)) throw error;
    logger.warn("agent identity: the auth file's agent_identity is not a valid record; treating it as absent", {
      path,
      error: error.message,
    });
    return { document, record: undefined, identityJwt: undefined, slotNeedsUnion: false };
  }
}
