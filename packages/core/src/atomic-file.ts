import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isErrorCode } from './system-error.js';

export interface AtomicWriteOptions {
  /** Mode of the written file. Default `0o600`: the files written this way hold secrets. */
  readonly mode?: number;
  /** Mode of folders created on the way. Default `0o700`. Existing folders are left alone. */
  readonly dirMode?: number;
}

/**
 * Replaces `path` with `data` so that a reader (or a crash) sees either the old file or the new
 * one, never a mix: write a temp file in the same folder, fsync it, rename it over `path`, fsync
 * the folder (so the rename itself survives a power loss). If `path` is a symlink, its target is
 * replaced and the link kept.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  const target = await resolveSymlink(path);
  const folder = dirname(target);
  await mkdir(folder, { recursive: true, mode: options.dirMode ?? 0o700 });
  const temp = join(folder, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
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
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
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
