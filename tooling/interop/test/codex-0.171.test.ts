import { afterEach, describe, expect, it } from 'vitest';
import { closeRuntimeBeds } from '@agent-identity/test-bed';
import { killRunningChildren } from './support/child-run.js';
import { CodexBed } from './support/codex-bed.js';

afterEach(async () => {
  killRunningChildren();
  await closeRuntimeBeds();
});

describe('Codex CLI 0.171 on a Codex home', () => {
  it('starts and reads the ChatGPT login: `codex login status` succeeds', async () => {
    const bed = await CodexBed.open('0.171');

    const status = await bed.loginStatus();

    expect(status.code, status.stderr).toBe(0);
    expect(`${status.stdout}${status.stderr}`).toContain('Logged in using ChatGPT');
  });
});
