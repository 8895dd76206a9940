import { afterEach, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { runAgentCliJson } from './support/agent-cli-process.js';
import { killRunningChildren } from './support/child-run.js';
import type { CodexVersion } from './support/codex-binary.js';
import { CodexBed } from './support/codex-bed.js';
import { answered } from './support/codex-answer.js';

afterEach(async () => {
  killRunningChildren();
  await closeRuntimeBeds();
});

/** Who touches the home: agent-cli (today's profile: a thread and a turn) or a Codex release (`codex exec`). */
type Toucher = 'agent-cli' | CodexVersion;

/**
 * Every order that agent-cli begins. A Codex release that registers first writes the record in its
 * own shape, which the other release cannot parse (CODEX-CURRENT.md): no order it begins can stay
 * loadable by all three.
 */
const orders: readonly (readonly [Toucher, Toucher, Toucher])[] = [
  ['agent-cli', '0.122', '0.171'],
  ['agent-cli', '0.171', '0.122'],
];

async function touch(bed: CodexBed, toucher: Toucher, prompt: string): Promise<void> {
  if (toucher === 'agent-cli') {
    const place = { home: bed.home, baseUrl: bed.backend.baseUrl };
    const flags = ['--profile', 'codex-current', '--authapi-url', bed.backend.authApiUrl];
    const thread = await runAgentCliJson(['thread', 'start', ...flags], place);
    await runAgentCliJson(['turn', String(thread.thread_id), prompt, ...flags], place);
    return;
  }
  answered(await bed.exec(prompt, toucher), prompt);
}

it.each(orders)('a home touched by %s, then %s, then %s stays loadable by all three', async (...order) => {
  const bed = await CodexBed.open('0.122');
  for (const [step, toucher] of order.entries()) {
    const done = order.slice(0, step + 1).join(', ');
    await touch(bed, toucher, `step ${step + 1}`);

    for (const version of ['0.122', '0.171'] as const) {
      const status = await bed.loginStatus(version);
      expect(status.code, `codex ${version} login status after ${done}: ${status.stderr}`).toBe(0);
    }
    const identity = await runAgentCliJson(['identity', 'show'], { home: bed.home, baseUrl: bed.backend.baseUrl });
    expect(identity.agent_runtime_id, `agent-cli identity show after ${done}`).toMatch(/^agent-/);
  }
  expect(bed.counters().agentRegistrations).toBe(1);
});

it('a home Codex 0.122 registered in, unreadable by Codex 0.171, is readable by both once agent-cli loaded it', async () => {
  const bed = await CodexBed.open('0.122');
  await touch(bed, '0.122', 'step 1');
  // Codex 0.122 writes its own shape, which today's Codex cannot parse (CODEX-CURRENT.md)
  expect((await bed.loginStatus('0.171')).code).not.toBe(0);

  const identity = await runAgentCliJson(['identity', 'show'], { home: bed.home, baseUrl: bed.backend.baseUrl });
  expect(identity.agent_runtime_id).toMatch(/^agent-/);
  for (const version of ['0.122', '0.171'] as const) {
    const status = await bed.loginStatus(version);
    expect(status.code, `codex ${version} login status after agent-cli loaded the record: ${status.stderr}`).toBe(0);
  }
  expect(bed.counters().agentRegistrations).toBe(1);
});
