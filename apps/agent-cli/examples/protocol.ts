import {
  decodeAgentAssertionHeader,
  decodeRolloutLines,
  encodeSessionStateLine,
  newestAgentTaskOfLines,
} from '@agent-identity/protocol';

// A rollout: Codex's JSONL thread log. Only `session_state` lines are ours; the rest is kept as is.
const rollout = [
  '{"timestamp":"2026-04-19T22:45:20.100Z","type":"session_meta","payload":{"id":"0199a0f0-1111-7aaa-8bbb-123456789abc"}}',
  encodeSessionStateLine(
    { agent_runtime_id: 'agent-123', task_id: 'task_123', registered_at: '2026-04-19T22:45:28Z' },
    Date.now(),
  ),
  encodeSessionStateLine(null, Date.now()), // the task was cleared
].join('\n');

const { lines, errors } = decodeRolloutLines(rollout); // errors name line numbers, never content
console.log(newestAgentTaskOfLines(lines), errors.length); // null 0: the newest state line wins

// The AgentAssertion header format (SPEC §3.6); verify signatures with @agent-identity/verifier.
const header =
  'AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoiYWdlbnQtMTIzIiwic2lnbmF0dXJlIjoibHY0eE5uZXRTYVZNUTV1R3ZZQmdzV2VwN2RZaVpHMU1hN1gyVlNzZ0tMUHB0WmpWZElrVnpxYWN0YjhPWVh0UHBpcUJ2ZE1GNnJ5ajdUUUNicTJxQVE9PSIsInRhc2tfaWQiOiJ0YXNrLTEyMyIsInRpbWVzdGFtcCI6IjIwMjYtMDMtMjNUMTI6MDA6MDBaIn0';
const { agent_runtime_id, task_id, timestamp } = decodeAgentAssertionHeader(header);
console.log(agent_runtime_id, task_id, timestamp); // agent-123 task-123 2026-03-23T12:00:00Z
