import { wireAgentTask } from '@agent-identity/core';
import { CliError } from '../cli-error.js';
import { withSession, type CliSession } from '../cli-session.js';
import { COMMON_OPTIONS_HELP, requirePositionals, type Command, type Invocation } from '../command.js';
import { withNetworkReason } from '../failure-report.js';

const USAGE = `Usage: agent-cli assert <thread-id>

Prints a fresh AgentAssertion header (the whole Authorization value) for the thread's task,
registering the task first if the thread has none. It is valid for a few minutes (the verifier's
time window): use it right away, e.g.
  curl -H "Authorization: $(agent-cli assert <thread-id>)" …

${COMMON_OPTIONS_HELP}`;

export const assertCommand: Command = {
  name: 'assert',
  summary: "print a fresh AgentAssertion header for a thread's task",
  usage: USAGE,
  options: {},
  async run(invocation) {
    const [threadId = ''] = requirePositionals(invocation, ['thread-id'], 'assert');
    return withSession(invocation, (session) => printAssertion(session, invocation, threadId));
  },
};

async function printAssertion(session: CliSession, { output }: Invocation, threadId: string): Promise<number> {
  await session.requireLogin();
  const thread = await session.resumeThread(threadId);
  const turn = await thread.beginTurn();
  if (!turn.ok) {
    throw new CliError('TASK_REGISTRATION_FAILED', withNetworkReason(turn.event.message, turn.event.cause), {
      cause: turn.event.cause,
    });
  }
  const header = turn.auth.authorizationHeader();
  if (turn.auth.scheme !== 'assertion' || header === undefined || turn.auth.task === undefined) {
    throw new CliError(
      'NO_IDENTITY',
      `thread ${threadId} has no task (agent identity off, or not a ChatGPT login): there is no AgentAssertion to print`,
    );
  }
  output.result(
    {
      thread_id: threadId,
      header,
      agent_task: wireAgentTask(turn.auth.task),
      task_registered_in_this_run: session.agent.registrations.counts.task > 0,
    },
    [header],
  );
  return 0;
}
