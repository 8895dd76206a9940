import { formatMillisTimestamp, type SessionMetaLine } from '@agent-identity/protocol';
import type { CreateThreadOptions } from './rollout-store.js';

/** Fields of the `session_meta` payload that the store owns; the caller's `meta` cannot set them. */
const STORE_OWNED_FIELDS = new Set(['id', 'forked_from_id', 'timestamp']);

/**
 * The first line of a new thread's log (SPEC §2.1): `payload.id` is the thread id, in Codex's key
 * order (`id`, `forked_from_id` for a fork, `timestamp`, then the host's own fields).
 */
export function sessionMetaLine(threadId: string, epochMs: number, options: CreateThreadOptions = {}): SessionMetaLine {
  const timestamp = formatMillisTimestamp(epochMs);
  const hostFields = Object.fromEntries(
    Object.entries(options.meta ?? {}).filter(([key]) => !STORE_OWNED_FIELDS.has(key)),
  );
  return {
    timestamp,
    type: 'session_meta',
    payload: {
      id: threadId,
      ...(options.forkedFrom === undefined ? {} : { forked_from_id: options.forkedFrom }),
      timestamp,
      ...hostFields,
    },
  };
}
