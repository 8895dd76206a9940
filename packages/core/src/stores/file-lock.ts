import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreError } from '../runtime/errors.js';
import { silentLogger, type Logger } from '../runtime/logger.js';
import { isErrorCode } from '../primitives/system-error.js';

export interface FileLockOptions {
  /**
   * How long to wait for the lock before failing with `LOCK_TIMEOUT`. Default 120 000 ms: longer
   * than a holder's identity registration with every retry (two backend calls, each up to three
   * attempts of 15 s), so a waiter outlasts a slow but live holder; a dead one is detected sooner.
   */
  readonly timeoutMs?: number;
  /**
   * A lock not refreshed for this long is stale (its holder hung or died on another host) and
   * may be broken. Holders refresh it every `staleMs / 3`. Default 10 000 ms.
   */
  readonly staleMs?: number;
  /** The most a waiter sleeps between two attempts (full jitter below it). Default 100 ms. */
  readonly maxRetryDelayMs?: number;
  /** Uniform in [0, 1), for the jitter. Default `Math.random`. */
  readonly random?: () => number;
  readonly logger?: Logger;
}

/** What a lock file says about its holder. */
interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
  readonly acquiredAtMs: number;
}

/** A lock file as a waiter saw it: its exact text (to recognise it later) and its age. */
interface ObservedLock {
  readonly text: string;
  readonly owner: Partial<LockOwner> | undefined;
  readonly mtimeMs: number;
}

/**
 * A cross-process lock on a lock file (Node has no `flock`, and this must not need native code).
 *
 * 1. **Create**: the owner record `{pid, hostname, token, acquiredAtMs}` is written to a temp file
 *    which is then hard-linked to the lock path: `link` fails if the lock exists, so creation is
 *    atomic and the lock file is never seen empty.
 * 2. **Heartbeat**: the holder touches the file every `staleMs / 3` while it holds it.
 * 3. **Wait**: on contention, retry after a jittered delay until `timeoutMs`.
 * 4. **Stale**: a lock is stale when its holder is a dead process on this host
 *    (`kill(pid, 0)` → `ESRCH`) or it was not touched for `staleMs`.
 * 5. **Break** a stale lock safely: rename it to a unique name, re-read it, and delete it only if
 *    it is the lock judged stale; if another waiter replaced it in between (so a live lock was
 *    taken), put it back with `link`, which fails rather than overwrite a newer lock.
 * 6. **Release** only a lock that is still ours.
 */
export class FileLock {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #staleMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #random: () => number;
  readonly #logger: Logger;

  constructor(path: string, options: FileLockOptions = {}) {
    this.#path = path;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#staleMs = options.staleMs ?? 10_000;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 100;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? silentLogger;
  }

  get path(): string {
    return this.#path;
  }

  /** Runs `fn` holding the lock; the lock is released however `fn` ends. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const owner = await this.#acquire().catch((error: unknown) => {
      // a read-only home (EROFS), a folder that cannot exist (ENOTDIR): typed, with the path
      if (CoreError.isInstance(error)) throw error;
      throw new CoreError('AUTH_FILE_IO', `cannot take the lock file ${this.#path}`, { cause: error });
    });
    const heartbeat = setInterval(
      () => {
        void this.#refresh(owner, heartbeat);
      },
      Math.max(1, Math.floor(this.#staleMs / 3)),
    );
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      await this.#release(owner);
    }
  }

  async #acquire(): Promise<LockOwner> {
    const deadline = performance.now() + this.#timeoutMs;
    const owner: LockOwner = {
      pid: process.pid,
      hostname: hostname(),
      token: randomBytes(16).toString('hex'),
      acquiredAtMs: Date.now(),
    };
    for (let attempt = 0; ; attempt += 1) {
      if (await this.#tryCreate(owner)) return owner;
      const observed = await this.#observe();
      if (observed === undefined) continue; // released meanwhile: try again at once
      if (this.#isStale(observed)) {
        await this.#breakStale(observed);
        continue;
      }
      if (performance.now() >= deadline) throw this.#timeout(observed);
      const ceiling = Math.min(this.#maxRetryDelayMs, 2 * 2 ** Math.min(attempt, 10));
      await sleep(Math.max(1, this.#random() * ceiling));
    }
  }

  /** Step 1: true if the lock is now ours, false if someone holds it. */
  async #tryCreate(owner: LockOwner): Promise<boolean> {
    const temp = `${this.#path}.${owner.token}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if (!isErrorCode(error, 'ENOENT')) throw error;
      await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
      await writeFile(temp, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
    }
    try {
      await link(temp, this.#path);
      return true;
    } catch (error) {
      if (isErrorCode(error, 'EEXIST')) return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async #observe(): Promise<ObservedLock | undefined> {
    try {
      const { mtimeMs } = await stat(this.#path);
      const text = await readFile(this.#path, 'utf8');
      return { text, owner: parseOwner(text), mtimeMs };
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /** Step 4. */
  #isStale(observed: ObservedLock): boolean {
    const { owner } = observed;
    if (owner?.hostname === hostname() && owner.pid !== undefined && !isProcessAlive(owner.pid)) {
      return true;
    }
    return Date.now() - observed.mtimeMs > this.#staleMs;
  }

  /** Step 5. */
  async #breakStale(observed: ObservedLock): Promise<void> {
    const aside = `${this.#path}.${randomBytes(8).toString('hex')}.stale`;
    try {
      await rename(this.#path, aside);
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) return; // another waiter broke it first
      throw error;
    }
    const taken = await readFile(aside, 'utf8');
    if (taken !== observed.text) {
      // Between our look and the rename, the stale lock was replaced by a live one: give it back.
      await link(aside, this.#path).catch((error: unknown) => {
        if (!isErrorCode(error, 'EEXIST')) throw error;
      });
    } else {
      this.#logger.warn('broke a stale lock', {
        path: this.#path,
        holderPid: observed.owner?.pid,
        holderHostname: observed.owner?.hostname,
      });
    }
    await unlink(aside);
  }

  /** Step 2. Failures are not fatal: a missed refresh only brings staleness closer. */
  async #refresh(owner: LockOwner, heartbeat: NodeJS.Timeout): Promise<void> {
    try {
      if (!(await this.#isOurs(owner))) {
        clearInterval(heartbeat);
        this.#logger.warn('lost a held lock to a waiter that judged it stale', { path: this.#path });
        return;
      }
      const now = new Date();
      await utimes(this.#path, now, now);
    } catch (error) {
      this.#logger.debug('lock heartbeat failed', { path: this.#path, error: String(error) });
    }
  }

  /** Step 6. */
  async #release(owner: LockOwner): Promise<void> {
    if (!(await this.#isOurs(owner))) return;
    await unlink(this.#path).catch((error: unknown) => {
      if (!isErrorCode(error, 'ENOENT')) throw error;
    });
  }

  async #isOurs(owner: LockOwner): Promise<boolean> {
    const observed = await this.#observe();
    return observed?.owner?.token === owner.token;
  }

  #timeout(observed: ObservedLock): CoreError {
    const holder =
      observed.owner?.pid === undefined
        ? ''
        : ` (held by pid ${observed.owner.pid} on ${observed.owner.hostname ?? 'an unknown host'})`;
    return new CoreError(
      'LOCK_TIMEOUT',
      `timed out after ${this.#timeoutMs} ms waiting for the lock ${this.#path}${holder}`,
      { isRetryable: true },
    );
  }
}

function parseOwner(text: string): Partial<LockOwner> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, hostname: host, token } = value as Record<string, unknown>;
    return {
      ...(typeof pid === 'number' ? { pid } : {}),
      ...(typeof host === 'string' ? { hostname: host } : {}),
      ...(typeof token === 'string' ? { token } : {}),
    };
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return !isErrorCode(error, 'ESRCH');
  }
}
