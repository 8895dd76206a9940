import { open, stat } from 'node:fs/promises';
import { FreshSharedCall } from '../primitives/fresh-shared-call.js';
import { isErrorCode } from '../primitives/system-error.js';

/**
 * What identifies one version of a file without reading it: inode, size and change times in
 * nanoseconds (`missing` when there is no file). Writers that replace the file by rename change
 * the inode; writers that rewrite it in place change the size or the times.
 */
export async function fileSignature(path: string): Promise<string> {
  try {
    return signatureOf(await stat(path, { bigint: true }));
  } catch (error) {
    if (isErrorCode(error, 'ENOENT', 'ENOTDIR')) return MISSING;
    throw error;
  }
}

const MISSING = 'missing';

function signatureOf(stats: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/** A signature minus its change time: what a `chmod` leaves as it was. */
function withoutChangeTime(signature: string): string {
  return signature.slice(0, signature.lastIndexOf(':'));
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A file read through a cache that is checked with one `stat` per read: the file is read and
 * parsed again only when its {@link fileSignature} changed. A parse failure is cached like a
 * value (a corrupt file is reported again without being re-read); I/O errors are not cached.
 * Concurrent reads share their `stat` and their read ({@link FreshSharedCall}: never one begun
 * before the call), so a thousand threads starting at once do not read the auth file a thousand times.
 */
export class StatCachedFile<T> {
  readonly #path: string;
  readonly #parse: (text: string | undefined) => T;
  #cached: { signature: string; parsed: Parsed<T> } | undefined;
  #readCount = 0;
  readonly #signatures = new FreshSharedCall(fileSignature);
  readonly #loads = new FreshSharedCall(() => this.#load());

  /** `parse` gets the file's text, or `undefined` when there is no file. */
  constructor(path: string, parse: (text: string | undefined) => T) {
    this.#path = path;
    this.#parse = parse;
  }

  /** The signature of the version the last `read()` returned; `undefined` before any read. */
  get signature(): string | undefined {
    return this.#cached?.signature;
  }

  /** How many times the file was actually read (not answered from the cache). */
  get readCount(): number {
    return this.#readCount;
  }

  async read(): Promise<T> {
    const current = await this.#signatures.call(this.#path);
    const cached = this.#cached;
    const parsed = cached?.signature === current ? cached.parsed : await this.#loads.call(this.#path);
    if (parsed.ok) return parsed.value;
    throw parsed.error;
  }

  /**
   * Keeps the cached version current after we changed only the file's metadata (`chmod` moves its
   * change time): adopted only if inode, size and modification time are still the ones read.
   */
  async adoptMetadataChange(): Promise<void> {
    const cached = this.#cached;
    if (cached === undefined) return;
    const current = await fileSignature(this.#path);
    if (withoutChangeTime(current) === withoutChangeTime(cached.signature))
      this.#cached = { ...cached, signature: current };
  }

  /** Forgets the cached version (after writing the file ourselves). */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #load(): Promise<Parsed<T>> {
    let signature = MISSING;
    let text: string | undefined;
    this.#readCount += 1;
    try {
      // The signature comes from the open file, so it names exactly the version that was read.
      const handle = await open(this.#path, 'r');
      try {
        signature = signatureOf(await handle.stat({ bigint: true }));
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (!isErrorCode(error, 'ENOENT', 'ENOTDIR')) throw error;
    }
    let parsed: Parsed<T>;
    try {
      parsed = { ok: true, value: this.#parse(text) };
    } catch (error) {
      parsed = { ok: false, error };
    }
    this.#cached = { signature, parsed };
    return parsed;
  }
}
