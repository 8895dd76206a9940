import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FileRolloutStore, rolloutRelativePath, type NewestSessionState } from '@agent-identity/core';
import { encodeRolloutLine, encodeSessionStateLine } from '@agent-identity/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withinDeadline } from './support/deadline.js';
import { PROPERTY_RUNS, PROPERTY_TEST_TIMEOUT_MS } from './support/loop-counts.js';
import { useTempFolder } from './support/temp-folder.js';
import { newestStateByFullRead } from './support/rollout-census.js';

// The resume's backward scan (SPEC §4.5 step 1) over rollouts of arbitrary lines — valid state
// lines, conversation lines that mention "session_state", lines of unknown types, garbage, blank
// lines, a torn last line — read in chunks of arbitrary size: it must find exactly what reading
// the whole file forwards finds.

const epochMs = Date.parse('2026-04-19T22:45:29.001Z');
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constant('session_state'),
  fc.string({ maxLength: 20 }).map((s) => `${s}"type":"session_state"${s}`),
);
const task = fc.record({
  agent_runtime_id: fc.string({ maxLength: 12 }),
  task_id: fc.string({ maxLength: 12 }),
  registered_at: fc.string({ maxLength: 24 }),
});
const stateLine = fc.option(task, { nil: null }).map((agentTask) => encodeSessionStateLine(agentTask, epochMs));
const conversationLine = text.map((content) =>
  encodeRolloutLine({
    timestamp: '2026-04-19T22:45:30.000Z',
    type: 'response_item',
    payload: { type: 'message', content },
  }),
);
const unknownTypeLine = fc
  .jsonValue({ maxDepth: 2 })
  .map((payload) => JSON.stringify({ timestamp: '2026-04-19T22:45:31.000Z', type: 'future_kind', payload }));
const garbageLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  text.map((content) => `{"type":"session_state","payload":${content}`),
);
const blankLine = fc.constantFrom('', ' ', '\t', '\r');
const line = fc.oneof(
  { weight: 3, arbitrary: stateLine },
  { weight: 3, arbitrary: conversationLine },
  { weight: 1, arbitrary: unknownTypeLine },
  { weight: 2, arbitrary: garbageLine },
  { weight: 1, arbitrary: blankLine },
);
/** Whole lines, then perhaps a last line cut short by a crash (no `\n`). */
const rollouts = fc
  .tuple(fc.array(line, { maxLength: 25 }), fc.option(fc.tuple(stateLine, fc.nat()), { nil: undefined }))
  .map(
    ([lines, torn]) =>
      lines.map((each) => `${each}\n`).join('') +
      (torn === undefined ? '' : torn[0].slice(0, torn[1] % (torn[0].length + 1))),
  );

function expected(text: string): NewestSessionState {
  const newest = newestStateByFullRead(text);
  return newest === undefined ? { found: false } : { found: true, agentTask: newest };
}

const home = useTempFolder();

describe('the rollout backward scan under arbitrary rollouts', () => {
  it(
    'finds the newest valid session_state line that a full forward read finds, for any chunk size',
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(rollouts, fc.integer({ min: 1, max: 300 }), async (content, scanChunkBytes) => {
          run += 1;
          const threadId = `scan-${run}`;
          const path = join(home.path, rolloutRelativePath(threadId, new Date(epochMs)));
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, content);
          const store = new FileRolloutStore({ home: home.path, scanChunkBytes });
          const found = await withinDeadline(store.newestSessionState(threadId), 5_000, 'newestSessionState');
          expect(found).toEqual(expected(content));
          await rm(path);
        }),
        { numRuns: PROPERTY_RUNS * 3 },
      );
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
});
