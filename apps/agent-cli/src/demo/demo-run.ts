import { stat } from 'node:fs/promises';
import type { AgentGateway } from '@agent-identity/agent-gateway';
import {
  agentTaskEquals,
  agentTaskOfWire,
  type AgentIdentityErrorEvent,
  type AgentTask,
  type AgentThread,
  type Logger,
} from '@agent-identity/core';
import { DEFAULT_AUTHAPI_BASE_URL, type SessionAgentTask } from '@agent-identity/protocol';
import { createAgentSocketPool } from '@agent-identity/transport-ws';
import { assembleAgentRuntime, type AgentRuntime } from '../agent-runtime.js';
import type { BackendCounters, DownstreamRequestRecord, BackendAdminClient } from '@agent-identity/reference-backend';
import { DEFAULT_MODEL } from '../commands/turn.js';
import { ThreadReport, TurnReport } from '../json-reports.js';
import type { Output } from '../output.js';
import { readSessionStates } from '../rollout-history.js';
import { responsesWebSocketUrl, runUserTurn, type TurnTransport } from '../turn-runner.js';
import type { ChildCli } from './child-cli.js';
import {
  BackendCounterSource,
  ClientCounterSource,
  countsBetween,
  demoCounts,
  type CounterSource,
  type DemoCounts,
} from './demo-counters.js';
import { INDENT, StepRecorder, type StepLog, type StepRecord } from './step-recorder.js';
import { summaryTable } from './summary-table.js';

/** Where the demo runs. */
export interface DemoSetting {
  /** The Codex home, with the demo user's `auth.json` in it. */
  readonly home: string;
  readonly baseUrl: string;
  readonly responsesBase: string;
  /** The backend's admin API, when it has one (the reference backend). */
  readonly admin: BackendAdminClient | undefined;
  /** The agent-gateway the turns go through (`demo --gateway`), if any. */
  readonly gateway: AgentGateway | undefined;
  /** The CLI as a second process, pointed at the same home and backend. */
  readonly children: ChildCli;
  readonly logger: Logger;
}

export interface DemoResult {
  readonly steps: readonly StepRecord[];
  readonly threads: readonly { readonly label: string; readonly threadId: string; readonly task: AgentTask }[];
  /** The backend's counters at the end, when it has an admin API. */
  readonly backendCounters: BackendCounters | undefined;
}

interface DemoThread {
  readonly label: 'A' | 'B';
  readonly thread: AgentThread;
  /** The thread's current task, as the latest step saw it. */
  task: AgentTask;
  readonly rolloutPath: string;
}

const TOTAL_STEPS = 5;
const THREAD_META = { originator: 'agent-cli', source: 'cli' } as const;

/**
 * The demo's steps (README: *The demo*). Steps 1–3 run in this process on one runtime; steps 4–5
 * run the CLI as new processes on the same home, which find everything on disk.
 */
export class DemoRun {
  readonly #setting: DemoSetting;
  readonly #output: Output;
  readonly #agent: AgentRuntime;
  readonly #events: AgentIdentityErrorEvent[] = [];
  /** What the demo's processes counted themselves; compared with the backend's counters at the end. */
  readonly #ownCount: ClientCounterSource;
  readonly #counters: CounterSource;

  constructor(setting: DemoSetting, output: Output) {
    this.#setting = setting;
    this.#output = output;
    this.#agent = assembleAgentRuntime({
      home: setting.home,
      baseUrl: setting.baseUrl,
      // the demo tells SPEC.md's story: per-thread tasks recorded in the rollouts
      profile: 'codex-0.122',
      authApiUrl: DEFAULT_AUTHAPI_BASE_URL,
      useAgentIdentity: true,
      logger: setting.logger,
      onEvent: (event) => this.#events.push(event),
    });
    this.#ownCount = new ClientCounterSource(() => this.#agent.registrations.counts);
    this.#counters = setting.admin === undefined ? this.#ownCount : new BackendCounterSource(setting.admin);
  }

  async run(): Promise<DemoResult> {
    const start = await this.#counters.snapshot();
    const steps = new StepRecorder(this.#output, this.#counters, TOTAL_STEPS);
    try {
      await steps.step('identity', 'Identity registered', (log) => this.#registerIdentity(log));
      const threads = await steps.step('two threads, prewarmed', 'Two threads started, tasks prewarmed', (log) =>
        this.#startThreads(log),
      );
      await steps.step(
        'turns: HTTP + WebSocket',
        'Turns accepted downstream with AgentAssertion (HTTP/SSE and WebSocket)',
        (log) => this.#takeTurns(log, threads),
      );
      // The first process is done with its runtime: from here on, new processes find the threads on disk.
      await this.#agent.runtime.close();
      await steps.step(
        'restart: resume + turns',
        'Process restarted: both threads resumed from their rollouts',
        (log) => this.#restart(log, threads),
      );
      const [revokeLabel, revokeTitle] = ['revoke + recover', 'Task revoked at the backend, recovered automatically'];
      const { admin } = this.#setting;
      if (admin === undefined)
        steps.skip(
          revokeLabel,
          revokeTitle,
          "revoking a task needs the reference backend's /_admin API, which this backend does not have",
        );
      else await steps.step(revokeLabel, revokeTitle, (log) => this.#revokeAndRecover(log, admin, threads[0]));

      const backendCounters = await this.#summarize(steps.records, start);
      return {
        steps: steps.records,
        threads: threads.map(({ label, thread, task }) => ({ label, threadId: thread.id, task })),
        backendCounters,
      };
    } finally {
      await this.#agent.runtime.close();
    }
  }

  /** Step 1: SPEC §4.1 — one key, registered once, kept in `auth.json`. */
  async #registerIdentity(log: StepLog): Promise<void> {
    const { runtime, authFile, registrations } = this.#agent;
    const identity = await runtime.ensureIdentity();
    if (identity === undefined) throw new Error(`no ChatGPT login in ${authFile}`);
    const mode = ((await stat(authFile)).mode & 0o777).toString(8);
    const registered = registrations.counts.identity > 0;
    log.line(
      `agent       ${identity.agentRuntimeId} (${registered ? 'registered now' : `already registered at ${identity.registeredAt}`})`,
    );
    log.line(`public key  ${identity.sshPublicKey}`);
    log.line(`stored in   ${authFile} (mode ${mode}; the private key never leaves this file)`);
  }

  /** Step 2: SPEC §4.5 — each new thread registers its task in the background (the prewarm). */
  async #startThreads(log: StepLog): Promise<[DemoThread, DemoThread]> {
    const { runtime, rollouts } = this.#agent;
    const started = await Promise.all([
      runtime.startThread({ meta: THREAD_META }),
      runtime.startThread({ meta: THREAD_META }),
    ]);
    await Promise.all(started.map((thread) => thread.prewarmed));
    const [a, b] = await Promise.all(
      started.map(async (thread, index): Promise<DemoThread> => {
        const label = index === 0 ? 'A' : 'B';
        const task = thread.task;
        if (task === undefined)
          throw new Error(`thread ${label} has no task after its prewarm${this.#eventText(thread.id)}`);
        const persisted = await rollouts.newestSessionState(thread.id);
        if (!persisted.found || !sameTask(persisted.agentTask, task)) {
          throw new Error(`thread ${label}'s rollout does not record its task`);
        }
        const rolloutPath = await rollouts.findRolloutPath(thread.id);
        if (rolloutPath === undefined) throw new Error(`thread ${label} has no rollout file`);
        return { label, thread, task, rolloutPath };
      }),
    );
    if (a === undefined || b === undefined) throw new Error('two threads were started, fewer came back');
    for (const { label, thread, task } of [a, b]) {
      log.line(`thread ${label}  ${thread.id}  task ${task.taskId}`);
    }
    log.line('both tasks were registered in the background and written to the rollouts before any turn');
    return [a, b];
  }

  /** Step 3: SPEC §4.6–4.7 — a turn on each thread, the model call signed with the thread's task. */
  async #takeTurns(log: StepLog, [a, b]: [DemoThread, DemoThread]): Promise<void> {
    await this.#turn(log, a, { kind: 'http' }, 'Hello from thread A, over HTTP');
    const pool = createAgentSocketPool(b.thread, { url: responsesWebSocketUrl(this.#setting.responsesBase) });
    try {
      await this.#turn(log, b, { kind: 'ws', pool }, 'Hello from thread B, over WebSocket');
    } finally {
      await pool.close();
    }
    this.#ownCount.add({ requestsAccepted: 2 });

    const { admin } = this.#setting;
    if (admin === undefined) {
      log.line("(this backend has no request log to show: /_admin is the reference backend's)");
      return;
    }
    const seen = (await admin.requests()).slice(-2);
    const { gateway } = this.#setting;
    if (gateway !== undefined) {
      this.#showGatewayVerdicts(log, gateway, [a, b], seen);
      return;
    }
    for (const { label, task } of [a, b]) {
      const request = seen.find((record) => record.taskId === task.taskId);
      if (request?.auth !== 'agent_assertion')
        throw new Error(`the backend did not log thread ${label}'s request as an AgentAssertion`);
      if (request.accountIdHeader)
        throw new Error(`thread ${label}'s request carried ChatGPT-Account-ID next to its assertion`);
      log.line(
        `backend accepted thread ${label}'s ${request.transport === 'ws' ? 'WebSocket handshake' : 'HTTP request'}: AgentAssertion for ${task.taskId}, no ChatGPT-Account-ID`,
      );
    }
  }

  /**
   * Through the gateway: the gateway verified each thread's assertion, and the backend's model
   * endpoint saw the gateway's own credential instead, never an assertion.
   */
  #showGatewayVerdicts(
    log: StepLog,
    gateway: AgentGateway,
    threads: readonly DemoThread[],
    seen: readonly DownstreamRequestRecord[],
  ): void {
    const records = gateway.ledger.records();
    for (const { label, task } of threads) {
      const record = records.find((candidate) => candidate.taskId === task.taskId);
      if (record?.verdict !== 'accepted' || !record.verified)
        throw new Error(`the gateway did not accept thread ${label}'s AgentAssertion`);
      log.line(
        `gateway verified thread ${label}'s ${record.transport === 'ws' ? 'WebSocket request' : 'HTTP request'}: AgentAssertion for ${task.taskId}, ${record.latencyMs.toFixed(1)} ms, ${record.bytesOut} bytes back`,
      );
    }
    if (seen.some((request) => request.auth !== 'bearer'))
      throw new Error("the model endpoint saw a caller's assertion: the gateway must forward with its own credential");
    log.line("the model endpoint behind it saw only the gateway's own credential (Bearer), never an assertion");
  }

  async #turn(log: StepLog, demo: DemoThread, transport: TurnTransport, message: string): Promise<void> {
    log.write(`${INDENT}thread ${demo.label} ${transport.kind === 'http' ? 'HTTP/SSE ' : 'WebSocket'} › `);
    const result = await runUserTurn({
      thread: demo.thread,
      rollouts: this.#agent.rollouts,
      responsesBase: this.#setting.responsesBase,
      transport,
      model: DEFAULT_MODEL,
      message,
      onDelta: (delta) => {
        log.write(delta);
      },
    });
    log.write('\n');
    if (!result.ok) throw new Error(result.event.message);
    if (result.scheme !== 'assertion' || !agentTaskEquals(result.task, demo.task)) {
      throw new Error(`thread ${demo.label}'s turn was not authorized with its task`);
    }
  }

  /**
   * Step 4: SPEC §4.5 — new processes resume the threads from their rollouts: the newest
   * `session_state` line gives each its task back, and nothing is registered.
   */
  async #restart(log: StepLog, threads: [DemoThread, DemoThread]): Promise<void> {
    const { children } = this.#setting;
    log.line('the first runtime is closed; new processes of this CLI pick the threads up from disk:');
    const before = await this.#counters.snapshot();

    const resumed = await Promise.all(
      threads.map(({ thread }) => children.json(['thread', 'resume', thread.id], ThreadReport)),
    );
    resumed.forEach(({ pid, report }, index) => {
      const demo = threads[index];
      if (demo === undefined) return;
      log.line(
        `pid ${pid}  agent-cli thread resume <${demo.label}> --json  → task ${report.agent_task?.task_id ?? 'none'}, registered in this run: ${report.task_registered_in_this_run === true ? 'yes' : 'no'}`,
      );
      if (!sameTask(report.agent_task, demo.task)) throw new Error(`thread ${demo.label} resumed without its task`);
      this.#ownCount.add({
        identityRegistrations: report.registrations_in_this_run?.identity,
        taskRegistrations: report.registrations_in_this_run?.task,
      });
    });

    const [a, b] = threads;
    const turns = await Promise.all([
      children.json(['turn', a.thread.id, 'Thread A again, from a new process'], TurnReport),
      children.json(['turn', b.thread.id, 'Thread B again, from a new process', '--ws'], TurnReport),
    ]);
    turns.forEach(({ pid, report }, index) => {
      const demo = threads[index];
      if (demo === undefined) return;
      log.line(
        `pid ${pid}  agent-cli turn <${demo.label}> …${report.transport === 'ws' ? ' --ws' : ''} --json  → ${report.output_text}`,
      );
      if (report.auth_scheme !== 'assertion' || !sameTask(report.agent_task, demo.task)) {
        throw new Error(`thread ${demo.label}'s turn in the new process did not use its resumed task`);
      }
      this.#ownCount.add({
        identityRegistrations: report.registrations_in_this_run.identity,
        taskRegistrations: report.registrations_in_this_run.task,
        requestsAccepted: 1,
      });
    });

    const after = await this.#counters.snapshot();
    log.line(`${this.#counters.origin}, before → after:`);
    log.line(
      `  agent registrations ${before.identityRegistrations} → ${after.identityRegistrations}, task registrations ${before.taskRegistrations} → ${after.taskRegistrations}`,
    );
    const made = countsBetween(before, after);
    if (made.identityRegistrations !== 0 || made.taskRegistrations !== 0) {
      throw new Error(
        `expected zero registrations, counted ${made.identityRegistrations} identity and ${made.taskRegistrations} task registrations`,
      );
    }
    log.line('zero registrations: both threads reused their tasks from their rollouts');
  }

  /**
   * Step 5: beyond Codex (SPEC §4.7) — the backend revokes thread A's task; the next turn's request
   * is refused with 401 `task_invalid`, and the API bridge clears the task (a `null` line),
   * registers a new one (a task line) and retries once.
   */
  async #revokeAndRecover(log: StepLog, admin: BackendAdminClient, demo: DemoThread): Promise<void> {
    const revoked = demo.task;
    await admin.revokeTask(revoked.taskId);
    log.line(`revoked thread A's task ${revoked.taskId} (POST /_admin/tasks/${revoked.taskId}/revoke)`);

    const { pid, report } = await this.#setting.children.json(
      ['turn', demo.thread.id, 'Thread A, after the revocation'],
      TurnReport,
    );
    const renewed = report.agent_task;
    if (report.recovered_from?.task_id !== revoked.taskId || renewed === null || renewed.task_id === revoked.taskId) {
      throw new Error('the turn after the revocation did not recover with a new task');
    }
    if (report.registrations_in_this_run.task !== 1)
      throw new Error(`expected one task registration, the process made ${report.registrations_in_this_run.task}`);
    log.line(
      `pid ${pid}  agent-cli turn <A> … --json  → 401 task_invalid${this.#setting.gateway === undefined ? '' : ' (at the gateway)'} → registered ${renewed.task_id} → retried once:`,
    );
    log.line(`  ${report.output_text}`);
    this.#ownCount.add({ taskRegistrations: 1, requestsAccepted: 1, requestsRefused: 1 });
    demo.task = agentTaskOfWire(renewed);

    const history = await readSessionStates(demo.rolloutPath);
    const [cleared, registered] = history.slice(-2);
    if (cleared?.agentTask !== null || registered?.agentTask?.task_id !== renewed.task_id) {
      throw new Error("thread A's rollout does not end with the null line and the new task line");
    }
    log.line("thread A's rollout now ends its task history with:");
    log.line(`  ${cleared.text}`);
    log.line(`  ${registered.text}`);
  }

  /** The table, the backend's totals, and whether the processes' own count agrees with them. */
  async #summarize(records: readonly StepRecord[], start: DemoCounts): Promise<BackendCounters | undefined> {
    const out = this.#output;
    out.line();
    out.line('Summary');
    out.line(`${INDENT}registrations and downstream requests per step, from ${this.#counters.origin}:`);
    out.line();
    for (const line of summaryTable(records)) out.line(`${INDENT}${line}`);
    out.line();
    const { admin } = this.#setting;
    if (admin === undefined) return undefined;
    const counters = await admin.counters();
    const total = demoCounts(counters);
    out.line(
      `${INDENT}backend totals: agent registrations ${total.identityRegistrations} · task registrations ${total.taskRegistrations} · ` +
        `downstream accepted ${total.requestsAccepted} · refused ${total.requestsRefused} · biscuits ${counters.biscuitsMinted}`,
    );
    const ownCount = await this.#ownCount.snapshot();
    let backendCount = countsBetween(start, total);
    const { gateway } = this.#setting;
    if (gateway !== undefined) {
      // The gateway refuses before the backend sees anything: its refusals complete the count.
      const { accepted, refused } = gateway.ledger.totals();
      const refusedAtGateway = Object.values(refused).reduce((sum, count) => sum + count, 0);
      out.line(
        `${INDENT}gateway totals: verified and forwarded ${accepted} · refused ${refusedAtGateway} ${JSON.stringify(refused)}`,
      );
      backendCount = { ...backendCount, requestsRefused: backendCount.requestsRefused + refusedAtGateway };
    }
    const agrees = JSON.stringify(ownCount) === JSON.stringify(backendCount);
    out.line(
      agrees
        ? `${INDENT}the demo's processes counted the same registrations and requests themselves`
        : `${INDENT}note: the demo's processes counted ${JSON.stringify(ownCount)} themselves (another client on this backend?)`,
    );
    return counters;
  }

  #eventText(threadId: string): string {
    const event = this.#events.find((candidate) => candidate.threadId === threadId);
    return event === undefined ? ' (see the warning above)' : `: ${event.message}`;
  }
}

/** Whether a task as the wire carries it (a rollout line, a `--json` report) is `task`. */
function sameTask(wire: SessionAgentTask | null, task: AgentTask): boolean {
  return agentTaskEquals(agentTaskOfWire(wire), task);
}
