import { wireAgentTask, type AgentTask, type Login } from '@agent-identity/core';
import { CliError } from '../cli-error.js';
import type { CliSession } from '../cli-session.js';
import { runAction } from '../command-actions.js';
import { COMMON_OPTIONS_HELP, type Command, type Invocation } from '../command.js';
import type { ThreadReport } from '../json-reports.js';
import { readSessionStates } from '../rollout-history.js';
import { describeTask } from './task-text.js';

const USAGE = `Usage:
  agent-cli thread start          start a thread, prewarm its task, print its id
  agent-cli thread resume <id>    resume a thread from its rollout (reuses its task)
  agent-cli thread list           the threads of the Codex home, newest first
  agent-cli thread show <id>      a thread's rollout and task history

${COMMON_OPTIONS_HELP}`;

export const threadCommand: Command = {
  name: 'thread',
  summary: 'start, resume, list or show conversation threads',
  usage: USAGE,
  options: {},
  run: (invocation) =>
    runAction(
      'thread',
      {
        start: { positionals: [], run: startThread },
        resume: { positionals: ['id'], run: resumeThread },
        list: { positionals: [], run: listThreads },
        show: { positionals: ['id'], run: showThread },
      },
      invocation,
    ),
};

/** `thread start`: a new thread whose task is registered in the background and awaited here. */
async function startThread(session: CliSession, { output, settings }: Invocation): Promise<number> {
  const login = await session.requireLogin();
  const thread = await session.agent.runtime.startThread({
    meta: { cwd: process.cwd(), originator: 'agent-cli', source: 'cli' },
  });
  await session.settle(thread, login);
  const report = await registrationReport(session, thread.id, thread.task);
  output.result(report, [thread.id, ...taskLines(report, settings.useAgentIdentity)]);
  return exitCodeFor(session, login, report);
}

/** `thread resume <id>`: the task comes back from the rollout; no registration when it is still valid. */
async function resumeThread(
  session: CliSession,
  { output, settings }: Invocation,
  [threadId = '']: readonly string[],
): Promise<number> {
  const login = await session.requireLogin();
  const thread = await session.resumeThread(threadId);
  const restored = thread.task === undefined ? null : wireAgentTask(thread.task);
  await session.settle(thread, login);
  const report = { ...(await registrationReport(session, thread.id, thread.task)), restored_task: restored };
  output.result(report, [`resumed ${thread.id}`, ...taskLines(report, settings.useAgentIdentity)]);
  return exitCodeFor(session, login, report);
}

async function listThreads(session: CliSession, { output }: Invocation): Promise<number> {
  const { rollouts } = session.agent;
  const threads = await rollouts.listThreads();
  const reports: ThreadReport[] = [];
  for (const info of threads) {
    const state = await rollouts.newestSessionState(info.threadId);
    reports.push({
      thread_id: info.threadId,
      rollout_path: info.path,
      created_at: info.createdAt.toISOString(),
      agent_task: state.found ? state.agentTask : null,
    });
  }
  const lines =
    reports.length === 0
      ? ['no threads yet (`agent-cli thread start` starts one)']
      : reports.map((report) => `${report.thread_id}  ${describeTask(report.agent_task)}`);
  output.result(reports, lines);
  return 0;
}

async function showThread(
  session: CliSession,
  { output }: Invocation,
  [threadId = '']: readonly string[],
): Promise<number> {
  const path = await session.rolloutPath(threadId);
  const history = await readSessionStates(path);
  const report: ThreadReport = {
    thread_id: threadId,
    rollout_path: path,
    agent_task: history.at(-1)?.agentTask ?? null,
    session_states: history.map((entry) => ({ timestamp: entry.timestamp, agent_task: entry.agentTask })),
  };
  output.result(report, [
    `thread   ${threadId}`,
    `rollout  ${path}`,
    `task     ${describeTask(report.agent_task)}`,
    ...(history.length === 0
      ? []
      : [
          'task history (session_state lines):',
          ...history.map((entry) => `  ${entry.timestamp}  ${describeTask(entry.agentTask)}`),
        ]),
  ]);
  return 0;
}

async function registrationReport(
  session: CliSession,
  threadId: string,
  task: AgentTask | undefined,
): Promise<ThreadReport> {
  const counts = session.agent.registrations.counts;
  return {
    thread_id: threadId,
    rollout_path: await session.rolloutPath(threadId),
    agent_task: task === undefined ? null : wireAgentTask(task),
    task_registered_in_this_run: counts.task > 0,
    registrations_in_this_run: counts,
  };
}

function taskLines(report: ThreadReport, useAgentIdentity: boolean): string[] {
  if (!useAgentIdentity) return ['agent identity off: turns use Bearer auth'];
  const how =
    report.task_registered_in_this_run === true
      ? 'registered and prewarmed in this run'
      : 'reused from the rollout, no registration';
  return [
    `task ${describeTask(report.agent_task)}${report.agent_task === null ? '' : ` (${how})`}`,
    `rollout ${report.rollout_path}`,
  ];
}

/**
 * Non-zero when agent identity applies but the thread ended up without a task: the prewarm failed
 * (the warning above says why) and the next turn will try again.
 */
function exitCodeFor(session: CliSession, login: Login, report: ThreadReport): number {
  if (!session.identityApplies(login) || report.agent_task !== null) return 0;
  throw new CliError(
    'TASK_REGISTRATION_FAILED',
    `thread ${report.thread_id} has no task: its registration failed (see the warning above); the next turn will try again`,
  );
}
