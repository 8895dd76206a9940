import { describe, expect, it } from 'vitest';
import { parseRolloutFileName, rolloutRelativePath } from '../src/stores/rollout-paths.js';

const THREAD = '0199a0f0-1111-7aaa-8bbb-123456789abc';

describe('rollout paths (Codex layout, SPEC §2.1)', () => {
  it('sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl in local time', () => {
    const localTime = new Date(2026, 3, 9, 7, 5, 3, 999);
    expect(rolloutRelativePath(THREAD, localTime)).toBe(
      `sessions/2026/04/09/rollout-2026-04-09T07-05-03-${THREAD}.jsonl`,
    );
  });

  it('parses a file name back to its thread id and local creation time', () => {
    expect(parseRolloutFileName(`rollout-2026-04-09T07-05-03-${THREAD}.jsonl`)).toEqual({
      threadId: THREAD,
      createdAt: new Date(2026, 3, 9, 7, 5, 3),
    });
  });

  it('rejects names that are not rollouts or carry an unsafe id', () => {
    for (const name of [
      `rollout-2026-04-09T07-05-03-${THREAD}.json`,
      `rollout-2026-04-09-07-05-03-${THREAD}.jsonl`,
      'rollout-2026-04-09T07-05-03-.jsonl',
      'rollout-2026-04-09T07-05-03-a.b.jsonl',
      `session-2026-04-09T07-05-03-${THREAD}.jsonl`,
    ]) {
      expect(parseRolloutFileName(name)).toBeUndefined();
    }
  });
});
