import { wireAgentTask } from '@agent-identity/core';
import { createAgentSocketPool } from '@agent-identity/transport-ws';
import { CliError, usageError } from '../cli-error.js';
import { withSession, type CliSession } from '../cli-session.js';
import { COMMON_OPTIONS_HELP, requirePositionals, stringFlag, type Command, type Invocation } from '../command.js';
import { withNetworkReason } from '../failure-report.js';
import type { TurnReport } from '../json-reports.js';
import { responsesWebSocketUrl, runUserTurn, type TurnTransport } from '../turn-runner.js';
import { DEFAULT_MODEL_TIMEOUT_SECONDS } from '../model-call-timeout.js';
import { describeTask } from './task-text.js';

export const DEFAULT_MODEL = 'gpt-5';

const USAGE = `Usage: agent-cli turn <thread-id> <message> [--ws] [--model <name>] [--timeout <seconds>]

One user turn (SPEC §4.6): the message is appended to the thread's rollout, the thread's task is
awaited (registered if it has none), the model is called with an AgentAssertion for it — over
HTTP with Server-Sent Events, or over WebSocket with --ws — and the streamed answer is printed as
it arrives and appended to the rollout.

  --ws              call the model over WebSocket instead of HTTP
  --model <name>    the model to ask (default: ${DEFAULT_MODEL})
  --timeout <s>     give up on the model call after this many seconds, answer streamed
                    included (default: ${DEFAULT_MODEL_TIMEOUT_SECONDS}): a server that stalls ends the turn

${COMMON_OPTIONS_HELP}`;

export const turnCommand: Command = {
  name: 'turn',
  summary: 'one user turn on a thread over HTTP/SSE or WebSocket, answer streamed',
  usage: USAGE,
  options: { ws: { type: 'boolean' }, model: { type: 'string' }, timeout: { type: 'string' } },
  async run(invocation) {
    const [threadId = '', message = ''] = requirePositionals(invocation, ['thread-id', 'message'], 'turn');
    const timeoutSeconds = timeoutFlag(invocation);
    return withSession(invocation, (session) => takeTurn(session, invocation, threadId, message, timeoutSeconds));
  },
};

async function takeTurn(
  session: CliSession,
  invocation: Invocation,
  threadId: string,
  message: string,
  modelTimeoutSeconds: number,
): Promise<number> {
  const { output, settings, flags } = invocation;
  await session.requireLogin();
  const thread = await session.resumeThread(threadId);
  const overWebSocket = flags.ws === true;
  // One socket pool per thread; this process makes one turn, so the pool lives as long as it.
  const pool = overWebSocket
    ? createAgentSocketPool(thread, {
        url: responsesWebSocketUrl(settings.responsesBase),
        telemetry: session.trace?.telemetry,
      })
    : undefined;
  const transport: TurnTransport = pool === undefined ? { kind: 'http' } : { kind: 'ws', pool };
  try {
    output.write('› ');
    const result = await runUserTurn({
      thread,
      rollouts: session.agent.rollouts,
      responsesBase: settings.responsesBase,
      transport,
      model: stringFlag(flags, 'model') ?? DEFAULT_MODEL,
      message,
      onDelta: (delta) => {
        output.write(delta);
      },
      modelTimeoutSeconds,
    });
    if (!result.ok) {
      output.line();
      throw new CliError('TASK_REGISTRATION_FAILED', withNetworkReason(result.event.message, result.event.cause), {
        cause: result.event.cause,
      });
    }
    output.line();
    const counts = session.agent.registrations.counts;
    const report: TurnReport = {
      thread_id: thread.id,
      transport: overWebSocket ? 'ws' : 'http',
      auth_scheme: result.scheme,
      agent_task: result.task === undefined ? null : wireAgentTask(result.task),
      response_id: result.responseId ?? null,
      output_text: result.outputText,
      task_registered_in_this_run: counts.task > 0,
      registrations_in_this_run: counts,
      recovered_from: result.recoveredFrom === undefined ? null : wireAgentTask(result.recoveredFrom),
      rollout_path: await session.rolloutPath(thread.id),
    };
    output.result(report, [
      `  ${report.transport === 'ws' ? 'WebSocket' : 'HTTP/SSE'}, ${report.auth_scheme === 'assertion' ? `AgentAssertion for task ${describeTask(report.agent_task)}` : `${report.auth_scheme} auth`}`,
      ...(report.recovered_from === null
        ? []
        : [`  the service refused task ${report.recovered_from.task_id} as invalid: re-registered and retried once`]),
    ]);
    return 0;
  } finally {
    await pool?.close();
  }
}

function timeoutFlag(invocation: Invocation): number {
  const text = stringFlag(invocation.flags, 'timeout');
  if (text === undefined) return DEFAULT_MODEL_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw usageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(text)}`);
  return seconds;
}
