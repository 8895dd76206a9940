import { readFile } from 'node:fs/promises';
import { isSessionStateLine, tryDecodeRolloutLine, type SessionAgentTask } from '@agent-identity/protocol';

/**
 * The newest valid `session_state` of a rollout's text, found the slow, obviously right way: every
 * line decoded, front to back, broken ones (fragments of writes cut short) passed over. `null`:
 * cleared; `undefined`: no state line at all. The runtime's backward scan must agree with it.
 */
export function newestStateByFullRead(text: string): SessionAgentTask | null | undefined {
  let newest: SessionAgentTask | null | undefined;
  for (const segment of text.split('\n')) {
    if (segment.trim() === '') continue;
    const decoded = tryDecodeRolloutLine(segment, 0);
    if (decoded.ok && isSessionStateLine(decoded.line)) newest = decoded.line.payload.agent_task ?? null;
  }
  return newest;
}

export async function newestStateOfFile(path: string): Promise<SessionAgentTask | null | undefined> {
  return newestStateByFullRead(await readFile(path, 'utf8'));
}
