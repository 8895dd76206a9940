import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';
import { BackendError } from './backend-error.js';
import { StateSnapshot } from './records.js';

/** The data file: loaded once at start, rewritten atomically after every change, one write at a time. */
export class StateFile {
  readonly #path: string;
  #lastWrite: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  /** The stored snapshot; `undefined` when the file does not exist yet. */
  async load(): Promise<StateSnapshot | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new BackendError('DATA_FILE_IO', 'cannot read the data file', { cause: error });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new BackendError('DATA_FILE_INVALID', 'the data file is not JSON', { cause: error });
    }
    const parsed = StateSnapshot.safeParse(value);
    if (!parsed.success) {
      throw new BackendError('DATA_FILE_INVALID', 'the data file is not a reference-backend state (version 1)');
    }
    return parsed.data;
  }

  /**
   * Writes the snapshot `take()` returns when its turn comes, after every earlier write: writes
   * never interleave, and a later change is never overwritten by an older snapshot.
   */
  save(take: () => StateSnapshot): Promise<void> {
    const write = async (): Promise<void> => {
      try {
        await writeFileAtomic(this.#path, `${JSON.stringify(take(), null, 2)}\n`);
      } catch (error) {
        throw new BackendError('DATA_FILE_IO', 'cannot write the data file', { cause: error });
      }
    };
    const next = this.#lastWrite.then(write);
    this.#lastWrite = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every write started so far has finished. */
  async flushed(): Promise<void> {
    await this.#lastWrite;
  }
}
