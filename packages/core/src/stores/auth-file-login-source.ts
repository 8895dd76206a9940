import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { AuthFileError, decodeIdTokenClaims, IdTokenError, parseAuthFileDocument } from '@agent-identity/protocol';
import { abortableWait } from '../primitives/abortable-wait.js';
import { authFileCorrupt } from './auth-file-corrupt.js';
import type { AuthSource } from './auth-source.js';
import { CoreError } from '../runtime/errors.js';
import { positiveNumber, requiredText } from '../runtime/option-checks.js';
import { silentLogger, type Logger } from '../runtime/logger.js';
import type { Login } from './login.js';
import { fileSignature, StatCachedFile } from './stat-cached-file.js';

export interface AuthFileLoginSourceOptions {
  /** The Codex auth file (`$CODEX_HOME/auth.json`). It need not exist yet. */
  readonly path: string;
  /**
   * How often a `waitForChange` waiter also checks the file by `stat`, for file systems where
   * watching misses events (network mounts, some containers). Default 2 000 ms.
   */
  readonly pollIntervalMs?: number;
  readonly logger?: Logger;
}

/**
 * The login of a Codex auth file (SPEC §2.2, §2.3), as an {@link AuthSource}.
 *
 * - `tokens` present → a ChatGPT login: `access_token`; account id = `tokens.account_id`, else
 *   the ID token's `chatgpt_account_id` claim; user id = the ID token's `chatgpt_user_id` claim.
 * - no `tokens`, `OPENAI_API_KEY` set → API-key auth (never a binding).
 * - no file, or neither → `undefined` (nobody is logged in).
 * - a file that cannot be read as an auth file → `CoreError` `AUTH_FILE_CORRUPT` (no token
 *   value is ever part of the message).
 *
 * `currentLogin()` costs one `stat` while the file is unchanged. `waitForChange()` watches the
 * folder (writers replace the file by rename, which a watch on the file itself would miss) and
 * polls by `stat` as a fallback.
 */
export class AuthFileLoginSource implements AuthSource {
  readonly #path: string;
  readonly #pollIntervalMs: number;
  readonly #logger: Logger;
  readonly #file: StatCachedFile<Login | undefined>;
  #watcherCount = 0;

  /** Throws `OPTIONS_INVALID` without a `path` or with a `pollIntervalMs` that is not positive. */
  constructor(options: AuthFileLoginSourceOptions) {
    const path = requiredText('path', options.path);
    this.#path = path;
    this.#pollIntervalMs = positiveNumber('pollIntervalMs', options.pollIntervalMs, 2_000);
    this.#logger = options.logger ?? silentLogger;
    this.#file = new StatCachedFile(path, (text) => parseLogin(path, text));
  }

  async currentLogin(): Promise<Login | undefined> {
    try {
      return await this.#file.read();
    } catch (error) {
      if (CoreError.isInstance(error)) throw error;
      throw new CoreError('AUTH_FILE_IO', `cannot read the auth file ${this.#path}`, { cause: error });
    }
  }

  /**
   * Resolves once the file differs from the version the last `currentLogin()` returned (or, if
   * it was never called, from the file as it is now), so a change made between a read and this
   * call is not missed.
   */
  async waitForChange(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const seen = this.#file.signature ?? (await fileSignature(this.#path));
    await abortableWait(signal, (wake) => {
      const stopped = { value: false };
      const check = (): void => {
        fileSignature(this.#path).then(
          (current) => {
            if (!stopped.value && current !== seen) wake();
          },
          // A file we cannot stat may have changed: let the caller read it and see the error.
          () => {
            if (!stopped.value) wake();
          },
        );
      };
      const watcher = this.#watchFolder(check);
      const poll = setInterval(check, this.#pollIntervalMs);
      poll.unref();
      check();
      return () => {
        stopped.value = true;
        clearInterval(poll);
        if (watcher !== undefined) {
          watcher.close();
          this.#watcherCount -= 1;
        }
      };
    });
  }

  /** How many folder watchers are open (one per pending `waitForChange`); for tests. */
  get watcherCount(): number {
    return this.#watcherCount;
  }

  #watchFolder(onEvent: () => void): FSWatcher | undefined {
    const name = basename(this.#path);
    let watcher: FSWatcher;
    try {
      watcher = watch(dirname(this.#path), { persistent: false }, (_event, filename) => {
        if (filename === null || filename === name) onEvent();
      });
    } catch (error) {
      // No folder yet, or no watch support: the stat poll still notices the login.
      this.#logger.debug('cannot watch the auth file folder; polling only', {
        path: this.#path,
        error: String(error),
      });
      return undefined;
    }
    watcher.on('error', (error) => {
      this.#logger.debug('auth file folder watch failed; polling only', {
        path: this.#path,
        error: String(error),
      });
    });
    this.#watcherCount += 1;
    return watcher;
  }
}

function parseLogin(path: string, text: string | undefined): Login | undefined {
  if (text === undefined) return undefined;
  try {
    const document = parseAuthFileDocument(text);
    const { tokens } = document;
    if (tokens != null) {
      const claims = decodeIdTokenClaims(tokens.id_token);
      const accountId = nonEmpty(tokens.account_id) ?? claims.chatgptAccountId;
      return {
        mode: 'chatgpt',
        accessToken: tokens.access_token,
        ...(accountId === undefined ? {} : { accountId }),
        ...(claims.chatgptUserId === undefined ? {} : { userId: claims.chatgptUserId }),
        ...(claims.email === undefined ? {} : { email: claims.email }),
        ...(claims.chatgptPlanType === undefined ? {} : { planType: claims.chatgptPlanType }),
      };
    }
    const apiKey = nonEmpty(document.OPENAI_API_KEY);
    return apiKey === undefined ? undefined : { mode: 'api_key', apiKey };
  } catch (error) {
    if (AuthFileError.isInstance(error) || IdTokenError.isInstance(error)) {
      throw authFileCorrupt(path, error);
    }
    throw error;
  }
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
