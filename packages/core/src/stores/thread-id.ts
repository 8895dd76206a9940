import { CoreError } from '../runtime/errors.js';

/**
 * Thread ids become part of a file name (`rollout-<time>-<thread id>.jsonl`), so only letters,
 * digits, `-` and `_` are accepted (Codex uses UUIDs): no id can name another folder (`..`, `/`),
 * hide a file (`.x`) or mean different files on case-folding and Unicode-normalising systems
 * beyond plain letter case.
 */
const THREAD_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function isValidThreadId(threadId: string): boolean {
  return THREAD_ID.test(threadId);
}

/** Throws `CoreError` `THREAD_ID_INVALID` unless `threadId` is a safe file-name part. */
export function assertValidThreadId(threadId: string): void {
  if (!isValidThreadId(threadId)) {
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
