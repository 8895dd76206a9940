import { readFile } from 'node:fs/promises';
import {
  decodeRolloutLine,
  isSessionStateLine,
  sessionStateTask,
  type SessionAgentTask,
} from '@agent-identity/protocol';

/** One `session_state` line of a rollout: its text as stored, and what it says. */
export interface SessionStateEntry {
  readonly text: string;
  readonly timestamp: string;
  readonly agentTask: SessionAgentTask | null;
}

/**
 * Every `session_state` line of a rollout, oldest first: the thread's task history (a task line
 * per registration, a `null` line per invalidation). Reads the whole file — for `thread show` and
 * the demo; resuming a thread never does (core scans from the end).
 */
export async function readSessionStates(rolloutPath: string): Promise<SessionStateEntry[]> {
  const text = await readFile(rolloutPath, 'utf8');
  const entries: SessionStateEntry[] = [];
  text.split('\n').forEach((lineText, index) => {
    if (!lineText.includes('"session_state"')) return;
    let line;
    try {
      line = decodeRolloutLine(lineText, index + 1);
    } catch {
      return; // a torn or foreign line: not part of the history
    }
    if (isSessionStateLine(line)) {
      entries.push({ text: lineText, timestamp: line.timestamp, agentTask: sessionStateTask(line.payload) });
    }
  });
  return entries;
}
