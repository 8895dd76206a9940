import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileSignature } from './stat-cached-file.js';
import { isErrorCode } from '../primitives/system-error.js';

export interface AtomicWriteOptions {
  /** Mode of the written file. Default `0o600`: the files written this way hold secrets. */
  readonly mode?: number;
  /** Mode of folders created on the way. Default `0o700`. Existing folders are left alone. */
  readonly dirMode?: number;
  /**
   * Replace `path` only if it still has this {@link fileSignature}, checked after the temp file
   * is synced, right before the rename. A writer that does not take our lock (Codex refreshing
   * its tokens) changing the file meanwhile then makes the write return `false` instead of
   * silently undoing its change. The window left is the instant between check and rename.
   */
  readonly unlessChangedFrom?: string;
  /**
   * The caller holds an exclusive lock over every writer of `path`, so a temp file of `path` left
   * in the folder belongs to a writer that died mid-write (it may hold a secret): remove it.
   */
  readonly removeAbandonedTemps?: boolean;
}

const TEMP_SUFFIX = /^[0-9a-f]{12}\.tmp$/;

function tempPrefix(target: string): string {
  return `.${basename(target)}.`;
}

/**
 * Replaces `path` with `data` so that a reader (or a crash) sees either the old file or the new
 * one, never a mix: write a temp file in the same folder, fsync it, rename it over `path`, fsync
 * the folder (so the rename itself survives a power loss). If `path` is a symlink, its target is
 * replaced and the link kept. Resolves to `false` (nothing written) only when
 * `unlessChangedFrom` is given and the file changed.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  const mode = options.mode ?? 0o600;
  const target = await resolveSymlink(path);
  const folder = dirname(target);
  await mkdir(folder, { recursive: true, mode: options.dirMode ?? 0o700 });
  if (options.removeAbandonedTemps === true) await removeAbandonedTemps(target);
  const temp = join(folder, `${tempPrefix(target)}${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // `open`'s mode is filtered by the umask; the file must end up exactly `mode`.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.unlessChangedFrom !== undefined && (await fileSignature(target)) !== options.unlessChangedFrom) {
      await unlink(temp);
      return false;
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
  return true;
}

/** Removes the temp files {@link writeFileAtomic} left next to `target` when a writer died. */
async function removeAbandonedTemps(target: string): Promise<void> {
  const prefix = tempPrefix(target);
  const folder = dirname(target);
  const abandoned = (await readdir(folder)).filter(
    (name) => name.startsWith(prefix) && TEMP_SUFFIX.test(name.slice(prefix.length)),
  );
  for (const name of abandoned) {
    await unlink(join(folder, name)).catch((error: unknown) => {
      if (!isErrorCode(error, 'ENOENT')) throw error;
    });
  }
}

/** fsyncs a folder so that entries renamed into it are durable. */
export async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a folder; its renames are durable once they return.
    if (!isErrorCode(error, 'EISDIR', 'EPERM', 'EINVAL', 'EACCES')) throw error;
  } finally {
    await handle?.close();
  }
}

async function resolveSymlink(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return path;
    throw error;
  }
}
