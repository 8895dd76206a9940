import { expect } from 'vitest';
import type { CodexRun } from './codex-process.js';

/** The reference backend's answer: the prompt echoed with the agent and task the assertion named. */
const ECHO = /^echo: (?<prompt>.*) \(agent (?<agent>agent-\w+), task (?<task>task_\w+)\)$/;

/** A Codex turn that went well: exit 0, no ERROR log line, the echo of `prompt` as its answer; its agent and task. */
export function answered(run: CodexRun, prompt: string): { agent: string; task: string } {
  expect(run.errorLines, run.stderr).toEqual([]);
  expect(run.code, run.stderr).toBe(0);
  const echo = ECHO.exec(run.stdout.trim())?.groups;
  expect(echo, run.stdout).toBeDefined();
  expect(echo?.prompt).toBe(prompt);
  return { agent: echo?.agent ?? '', task: echo?.task ?? '' };
}

/** The thread id of a Codex run (its transcript names it). */
export function sessionOf(run: CodexRun): string {
  expect(run.sessionId, run.stderr).toMatch(/^[0-9a-f-]{36}$/);
  return run.sessionId ?? '';
}
