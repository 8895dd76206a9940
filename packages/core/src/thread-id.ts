import { CoreError } from './errors.js';

/**
 * Thread ids become part of a file name (`rollout-<time>-<thread id>.jsonl`), so only letters,
 * digits, `-` and `_` are accepted (Codex uses UUIDs): nothing can climb out of the sessions
 * folder or collide with the name's own separators in a way the parser cannot undo.
 */
const THREAD_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Throws `CoreError` `THREAD_ID_INVALID` unless `threadId` is a safe file-name part. */
export function assertValidThreadId(threadId: string): void {
  if (!THREAD_ID.test(threadId)) {
    throw new CoreError(
      'THREAD_ID_INVALID',
      `invalid thread id ${JSON.stringify(threadId.slice(0, 64))}: it must be 1–128 letters, digits, "-" or "_"`,
    );
  }
}

export function threadNotFound(threadId: string): CoreError {
  return new CoreError('THREAD_NOT_FOUND', `thread ${threadId} not found`);
}

export function threadExists(threadId: string): CoreError {
  return new CoreError('THREAD_EXISTS', `thread ${threadId} already exists`);
}
