import { syncFolder } from './atomic-file.js';

/** A folder's fsync in flight, and the one queued behind it for the callers who came too late. */
interface FolderSyncs {
  running: Promise<void>;
  next: Promise<void> | undefined;
}

/**
 * Group commit for folder fsyncs: `sync(folder)` resolves once an fsync of `folder` that began
 * after the call has finished, so every entry created before the call is durable. Callers that
 * arrive while one fsync runs share the next, so a thousand files created at once cost a few
 * folder fsyncs, not a thousand, with the same guarantee for each.
 */
export class GroupFolderSync {
  readonly #folders = new Map<string, FolderSyncs>();
  readonly #syncOnce: (folder: string) => Promise<void>;

  constructor(syncOnce: (folder: string) => Promise<void> = syncFolder) {
    this.#syncOnce = syncOnce;
  }

  sync(folder: string): Promise<void> {
    const syncs = this.#folders.get(folder);
    if (syncs === undefined) return this.#start(folder);
    // The running fsync may have begun before our entry was created: wait for the one after it.
    syncs.next ??= syncs.running.then(
      () => this.#start(folder),
      () => this.#start(folder),
    );
    return syncs.next;
  }

  #start(folder: string): Promise<void> {
    const running = this.#syncOnce(folder);
    const syncs: FolderSyncs = { running, next: undefined };
    this.#folders.set(folder, syncs);
    const settle = (): void => {
      if (this.#folders.get(folder) === syncs && syncs.next === undefined) this.#folders.delete(folder);
    };
    running.then(settle, settle);
    return running;
  }
}
