import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  encodeRolloutLine,
  isSessionStateLine,
  tryDecodeRolloutLine,
  type RolloutLine,
} from '@agent-identity/protocol';
import { CoreError } from '../runtime/errors.js';
import { requiredText } from '../runtime/option-checks.js';
import { silentLogger, type Logger } from '../runtime/logger.js';
import { FreshSharedCall } from '../primitives/fresh-shared-call.js';
import { syncFolder } from './atomic-file.js';
import { parseRolloutFileName, rolloutRelativePath, SESSIONS_FOLDER } from './rollout-paths.js';
import type { CreateThreadOptions, NewestSessionState, RolloutStore } from './rollout-store.js';
import { scanNewestSessionState } from './rollout-tail-scanner.js';
import { KeyedSerialQueue } from '../primitives/serial-queue.js';
import { sessionMetaLine } from './session-meta.js';
import { isErrorCode } from '../primitives/system-error.js';
import { assertValidThreadId, threadExists, threadNotFound } from './thread-id.js';

export interface FileRolloutStoreOptions {
  /** The Codex home folder (`$CODEX_HOME`, usually `~/.codex`); rollouts go under `sessions/`. */
  readonly home: string;
  /** Epoch milliseconds, for file names and `session_meta` timestamps. Default `Date.now`. */
  readonly now?: () => number;
  /** Warnings about torn or invalid lines go here. Default silent. */
  readonly logger?: Logger;
  /** Bytes read per step of the backward scan for the newest `session_state`. Default 64 KiB. */
  readonly scanChunkBytes?: number;
}

/** A thread's rollout file, as `listThreads()` reports it. */
export interface RolloutThreadInfo {
  readonly threadId: string;
  readonly path: string;
  /** When the thread was created, from the file name (local time, to the second). */
  readonly createdAt: Date;
}

/** What the store has read so far: the proof that resuming reads only a rollout's tail. */
export interface RolloutStoreStats {
  /** Bytes read by `newestSessionState` scans. */
  readonly bytesRead: number;
}

const NEWLINE = 0x0a;
const STATE_MARKER = 'session_state';

/**
 * The rollout store of SPEC §2.1 / §4.5 over a Codex home folder: one JSONL file per thread at
 * `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<thread id>.jsonl`.
 *
 * - **Create** writes the `session_meta` line (and, for a fork, the parent's lines minus every
 *   `session_state`) to a new file, fsynced, folder fsynced (one fsync shared by the threads
 *   created meanwhile, {@link FreshSharedCall}); a failed write removes the file.
 * - **Append** is one `write` of whole lines to a file opened for append, then `fdatasync`;
 *   appends to one thread are serialised in-process. If a crash left a torn last line, the
 *   write starts with `\n` so the new line is never glued to the fragment; a failed write is
 *   truncated back to the length before it.
 * - **Newest state** scans backwards from the end ({@link scanNewestSessionState}); bytes read
 *   are counted in `stats`.
 * - **Find** keeps an index of thread id → file; a miss scans `sessions/` newest day first.
 */
export class FileRolloutStore implements RolloutStore {
  readonly #home: string;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #scanChunkBytes: number | undefined;
  readonly #index = new Map<string, string>();
  /** Whether `#index` has been filled from one full listing of `sessions/`. */
  #listedAll = false;
  readonly #threadQueues = new KeyedSerialQueue();
  /** Group commit: threads started at once share their day folder's fsyncs. */
  readonly #folderSync = new FreshSharedCall(syncFolder);
  #bytesRead = 0;

  /** Throws `OPTIONS_INVALID` without a `home`. */
  constructor(options: FileRolloutStoreOptions) {
    this.#home = requiredText('home', options.home);
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
    this.#scanChunkBytes = options.scanChunkBytes;
  }

  get stats(): RolloutStoreStats {
    return { bytesRead: this.#bytesRead };
  }

  resetStats(): void {
    this.#bytesRead = 0;
  }

  async createThread(threadId: string, options: CreateThreadOptions = {}): Promise<void> {
    assertValidThreadId(threadId);
    await this.#threadQueues.run(threadId, async () => {
      if (await this.#isKnownThread(threadId)) throw threadExists(threadId);
      const { forkedFrom } = options;
      // A thread cannot be its own parent: it does not exist yet (and its queue is ours now).
      if (forkedFrom === threadId) throw threadNotFound(forkedFrom);
      const inherited = forkedFrom === undefined ? '' : await this.#linesToFork(forkedFrom);
      const epochMs = this.#now();
      const path = join(this.#home, rolloutRelativePath(threadId, new Date(epochMs)));
      const meta = encodeRolloutLine(sessionMetaLine(threadId, epochMs, options));
      await this.#io(path, 'create', async () => {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        const handle = await open(path, 'wx', 0o600);
        try {
          try {
            await handle.writeFile(`${meta}\n${inherited}`);
            await handle.sync();
          } finally {
            await handle.close();
          }
        } catch (error) {
          await this.#removeFailedCreation(path);
          throw error;
        }
        await this.#folderSync.call(dirname(path));
      });
      this.#index.set(threadId, path);
    });
  }

  async hasThread(threadId: string): Promise<boolean> {
    return (await this.findRolloutPath(threadId)) !== undefined;
  }

  async append(threadId: string, lines: readonly RolloutLine[]): Promise<void> {
    assertValidThreadId(threadId);
    const text = lines.map((line) => `${encodeRolloutLine(line)}\n`).join('');
    await this.#threadQueues.run(threadId, async () => {
      const path = await this.#requirePath(threadId);
      await this.#io(path, 'append to', async () => {
        // Not O_CREAT: a rollout deleted under us must not come back as a headless file.
        const handle = await open(path, constants.O_RDWR | constants.O_APPEND);
        try {
          const { size } = await handle.stat();
          const torn = await endsWithTornLine(handle, size);
          if (torn) {
            this.#logger.warn('rollout ended with a torn line; appending on a new line', { path });
          }
          if (text === '') return;
          try {
            await writeWhole(handle, Buffer.from(torn ? `\n${text}` : text));
            await handle.datasync();
          } catch (error) {
            // A fragment left here would sit mid-file once a later append succeeds; appends to a
            // thread are serialised, so `size` is still where our write began.
            await handle.truncate(size);
            throw error;
          }
        } finally {
          await handle.close();
        }
      });
    });
  }

  async newestSessionState(threadId: string): Promise<NewestSessionState> {
    assertValidThreadId(threadId);
    return await this.#threadQueues.run(threadId, async () => {
      const path = await this.#requirePath(threadId);
      const { state, bytesRead } = await this.#io(path, 'read', () =>
        scanNewestSessionState(path, {
          logger: this.#logger,
          ...(this.#scanChunkBytes === undefined ? {} : { chunkBytes: this.#scanChunkBytes }),
        }),
      );
      this.#bytesRead += bytesRead;
      return state;
    });
  }

  /**
   * Whether `createThread` would duplicate a thread: one of the threads found by this store's one
   * full listing of `sessions/`, or created through it since. Listing everything again for every
   * new thread would make starting N threads cost N² file names; what is not looked for is another
   * process creating the very same id after the listing, which ids from `startThread` (UUID v7)
   * never do. (Resuming, `findRolloutPath`, still lists again on a miss.)
   */
  async #isKnownThread(threadId: string): Promise<boolean> {
    if (!this.#listedAll) {
      await this.#walkSessions((info) => {
        if (!this.#index.has(info.threadId)) this.#index.set(info.threadId, info.path);
        return true;
      });
      this.#listedAll = true;
    }
    const known = this.#index.get(threadId);
    if (known === undefined) return false;
    if (await this.#io(known, 'check', () => exists(known))) return true;
    this.#index.delete(threadId);
    return false;
  }

  /** The thread's rollout file, or `undefined` if there is none under `sessions/`. */
  async findRolloutPath(threadId: string): Promise<string | undefined> {
    assertValidThreadId(threadId);
    const known = this.#index.get(threadId);
    if (known !== undefined) {
      if (await this.#io(known, 'check', () => exists(known))) return known;
      this.#index.delete(threadId);
    }
    let found: string | undefined;
    await this.#walkSessions((info) => {
      if (!this.#index.has(info.threadId)) this.#index.set(info.threadId, info.path);
      if (info.threadId === threadId) found = info.path;
      return found === undefined;
    });
    return found;
  }

  /** Every thread under `sessions/`, newest first (for a CLI's `thread list`). */
  async listThreads(): Promise<RolloutThreadInfo[]> {
    const threads: RolloutThreadInfo[] = [];
    await this.#walkSessions((info) => {
      threads.push(info);
      return true;
    });
    return threads.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  async #requirePath(threadId: string): Promise<string> {
    const path = await this.findRolloutPath(threadId);
    if (path === undefined) throw threadNotFound(threadId);
    return path;
  }

  /** The parent's lines for a fork: all of them but `session_state` lines and a torn tail. */
  async #linesToFork(parentId: string): Promise<string> {
    assertValidThreadId(parentId);
    return this.#threadQueues.run(parentId, async () => {
      const path = await this.#requirePath(parentId);
      const text = await this.#io(path, 'read', () => readFile(path, 'utf8'));
      const segments = text.split('\n');
      const last = segments.pop() ?? '';
      const kept = segments.filter((segment) => segment.trim() !== '' && !isStateLineText(segment));
      if (last.trim() !== '') {
        const decoded = tryDecodeRolloutLine(last, segments.length + 1);
        if (!decoded.ok) {
          this.#logger.warn('not copying a torn last line into a fork', { path });
        } else if (!isSessionStateLine(decoded.line)) {
          kept.push(last);
        }
      }
      return kept.map((segment) => `${segment}\n`).join('');
    });
  }

  /**
   * Visits rollout files newest day first (years, months, days descending) until `visit`
   * returns false.
   */
  async #walkSessions(visit: (info: RolloutThreadInfo) => boolean): Promise<void> {
    const sessions = join(this.#home, SESSIONS_FOLDER);
    for (const year of await this.#listDescending(sessions, /^\d{4}$/)) {
      for (const month of await this.#listDescending(join(sessions, year), /^\d\d$/)) {
        for (const day of await this.#listDescending(join(sessions, year, month), /^\d\d$/)) {
          const folder = join(sessions, year, month, day);
          for (const name of await this.#listDescending(folder, /^rollout-.*\.jsonl$/)) {
            const parsed = parseRolloutFileName(name);
            if (parsed !== undefined && !visit({ ...parsed, path: join(folder, name) })) return;
          }
        }
      }
    }
  }

  async #listDescending(folder: string, pattern: RegExp): Promise<string[]> {
    const names = await this.#io(folder, 'list', async () => {
      try {
        return await readdir(folder);
      } catch (error) {
        if (isErrorCode(error, 'ENOENT', 'ENOTDIR')) return [];
        throw error;
      }
    });
    return names
      .filter((name) => pattern.test(name))
      .sort()
      .reverse();
  }

  /**
   * Removes the file of a creation that failed midway (ENOSPC, EFBIG): a rollout without its
   * whole `session_meta` line would later pass for a real thread.
   */
  async #removeFailedCreation(path: string): Promise<void> {
    try {
      await rm(path, { force: true });
    } catch (error) {
      this.#logger.warn('cannot remove the rollout of a failed thread creation', {
        path,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Runs file I/O, turning system errors into `ROLLOUT_IO` (typed errors pass through). */
  async #io<T>(path: string, action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (CoreError.isInstance(error)) throw error;
      throw new CoreError('ROLLOUT_IO', `cannot ${action} the rollout ${path}`, { cause: error });
    }
  }
}

/** A `session_state` line, judged by parsing only lines that mention it. */
function isStateLineText(segment: string): boolean {
  if (!segment.includes(STATE_MARKER)) return false;
  const decoded = tryDecodeRolloutLine(segment, 0);
  return decoded.ok && isSessionStateLine(decoded.line);
}

async function endsWithTornLine(handle: FileHandle, size: number): Promise<boolean> {
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] !== NEWLINE;
}

/** One `write` normally; the loop only covers the rare short write. */
async function writeWhole(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const result = await handle.write(bytes, written, bytes.length - written);
    written += result.bytesWritten;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT', 'ENOTDIR')) return false;
    throw error;
  }
}
