import { join } from 'node:path';
import { isValidThreadId } from './thread-id.js';

/** The folder of rollouts under the Codex home folder. */
export const SESSIONS_FOLDER = 'sessions';

const FILE_NAME = /^rollout-(\d{4})-(\d\d)-(\d\d)T(\d\d)-(\d\d)-(\d\d)-(.+)\.jsonl$/;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Where Codex puts a thread's rollout (SPEC §2.1), relative to its home folder:
 * `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<thread id>.jsonl`, all in local time.
 */
export function rolloutRelativePath(threadId: string, createdAt: Date): string {
  const year = String(createdAt.getFullYear()).padStart(4, '0');
  const month = twoDigits(createdAt.getMonth() + 1);
  const day = twoDigits(createdAt.getDate());
  const time = [createdAt.getHours(), createdAt.getMinutes(), createdAt.getSeconds()].map(twoDigits).join('-');
  return join(SESSIONS_FOLDER, year, month, day, `rollout-${year}-${month}-${day}T${time}-${threadId}.jsonl`);
}

/** The thread id and local creation time a rollout file name encodes; `undefined` if it is not one. */
export function parseRolloutFileName(name: string): { threadId: string; createdAt: Date } | undefined {
  const match = FILE_NAME.exec(name);
  if (match === null) return undefined;
  const [, year, month, day, hours, minutes, seconds, threadId] = match;
  if (threadId === undefined || !isValidThreadId(threadId)) return undefined;
  const createdAt = new Date(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  return Number.isNaN(createdAt.getTime()) ? undefined : { threadId, createdAt };
}
