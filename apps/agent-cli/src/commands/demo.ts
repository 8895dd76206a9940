import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USER, startReferenceBackend, type ReferenceBackend } from '@agent-identity/reference-backend';
import type { AgentGateway } from '@agent-identity/agent-gateway';
import { wireAgentTask } from '@agent-identity/core';
import { BackendAdminClient } from '@agent-identity/reference-backend';
import { usageError } from '../cli-error.js';
import { cliLogger } from '../cli-logger.js';
import { authFilePath } from '../codex-home.js';
import { COMMON_OPTIONS_HELP, type Command, type Invocation } from '../command.js';
import { ChildCli } from '../demo/child-cli.js';
import { writeDemoLogin } from '../demo/demo-login.js';
import { startDemoGateway } from '../demo/demo-gateway.js';
import { DemoRun, type DemoResult } from '../demo/demo-run.js';
import { INDENT } from '../demo/step-recorder.js';

const USAGE = `Usage: agent-cli demo [--base-url <url> [--home <dir>]] [--gateway] [--keep]

The whole agent-identity flow, step by step. With no flags it starts the reference backend in
this process (127.0.0.1, a free port), logs its demo user in with a Codex-style auth.json in a
temporary Codex home, and shows: the identity registered; two threads started with their tasks
prewarmed; turns over HTTP/SSE and WebSocket accepted with AgentAssertion; a restart — new
processes of this CLI resume both threads from their rollouts with zero registrations; a task
revoked at the backend and recovered automatically; a table of registrations, requests and time.

  --base-url <url>   run against this backend instead (e.g. \`agent-identity-backend\`); steps that
                     need the reference backend's /_admin API are skipped if it has none
  --home <dir>       use this Codex home (its auth.json login; the demo user's is written if there
                     is none) instead of a temporary one; with the embedded backend, the backend's
                     records are kept there too (demo-backend/, PGlite), so the demo can run again
  --gateway          send the turns through an agent-gateway (apps/agent-gateway) started in this
                     process in front of the model endpoint: it verifies each AgentAssertion against
                     the backend's registry and forwards with its own credential (the demo user's
                     token, or $AGENT_GATEWAY_UPSTREAM_AUTHORIZATION)
  --keep             keep the temporary Codex home to look at auth.json and the rollouts

${COMMON_OPTIONS_HELP}`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the whole flow against an embedded reference backend (start here)',
  usage: USAGE,
  options: { keep: { type: 'boolean' }, gateway: { type: 'boolean' } },
  progressInJsonMode: true,
  async run(invocation) {
    if (!invocation.settings.useAgentIdentity)
      throw usageError('demo: the demo shows agent identity; --no-agent-identity does not apply');
    if (invocation.positionals.length > 0)
      throw usageError(`demo: unexpected argument ${JSON.stringify(invocation.positionals[0])}`);
    const environment = await DemoEnvironment.open(invocation);
    try {
      const result = await environment.run();
      invocation.output.result(jsonSummary(environment, result));
      return 0;
    } finally {
      await environment.close();
    }
  },
};

/** The backend and the Codex home the demo runs in, and their clean-up. */
class DemoEnvironment {
  readonly #invocation: Invocation;
  readonly home: string;
  readonly #temporaryHome: boolean;
  readonly #backend: ReferenceBackend | undefined;
  readonly baseUrl: string;
  /** The model endpoint itself; the turns go to the gateway in front of it when there is one. */
  readonly modelBase: string;
  #gateway: AgentGateway | undefined;
  #admin: BackendAdminClient | undefined;

  private constructor(
    invocation: Invocation,
    home: string,
    temporaryHome: boolean,
    backend: ReferenceBackend | undefined,
  ) {
    this.#invocation = invocation;
    this.home = home;
    this.#temporaryHome = temporaryHome;
    this.#backend = backend;
    const { settings } = invocation;
    this.baseUrl = backend?.baseUrl ?? settings.baseUrl;
    // The embedded backend serves the model endpoint too, unless --responses-url says otherwise.
    this.modelBase = settings.responsesBase === settings.baseUrl ? this.baseUrl : settings.responsesBase;
  }

  /** Where the turns go: the gateway, or the model endpoint. */
  get responsesBase(): string {
    return this.#gateway?.url ?? this.modelBase;
  }

  static async open(invocation: Invocation): Promise<DemoEnvironment> {
    const { settings } = invocation;
    const home = settings.homeGiven ? settings.home : await mkdtemp(join(tmpdir(), 'agent-cli-demo-'));
    try {
      const backend = settings.baseUrlGiven
        ? undefined
        : await startReferenceBackend(settings.homeGiven ? { dataDir: join(home, 'demo-backend') } : {});
      return new DemoEnvironment(invocation, home, !settings.homeGiven, backend);
    } catch (error) {
      if (!settings.homeGiven) await rm(home, { recursive: true, force: true });
      throw error;
    }
  }

  get embedded(): boolean {
    return this.#backend !== undefined;
  }

  get admin(): BackendAdminClient | undefined {
    return this.#admin;
  }

  get gatewayUrl(): string | undefined {
    return this.#gateway?.url;
  }

  async run(): Promise<DemoResult> {
    const { output, settings, io } = this.#invocation;
    output.line('agent-identity demo: the whole flow, step by step');
    output.line();
    output.line(
      `${INDENT}backend  ${this.baseUrl} (${this.embedded ? 'the reference backend, embedded in this process' : 'from --base-url'})`,
    );
    if (this.modelBase !== this.baseUrl) output.line(`${INDENT}model    ${this.modelBase}`);

    const admin = new BackendAdminClient({ url: this.baseUrl });
    this.#admin = (await admin.isSupported()) ? admin : undefined;
    if (this.#admin === undefined)
      output.line(`${INDENT}admin    none: the revocation step is skipped, and the demo counts registrations itself`);
    if (this.#invocation.flags.gateway === true) {
      if (this.#admin === undefined)
        throw usageError(
          "demo --gateway: the gateway reads its registry from the backend's /_admin API, which this backend does not have",
        );
      this.#gateway = await startDemoGateway({ modelBase: this.modelBase, backendUrl: this.baseUrl, env: io.env });
      output.line(
        `${INDENT}gateway  ${this.#gateway.url} (agent-gateway in front of the model; dashboard ${this.#gateway.dashboardUrl})`,
      );
    }

    const loginWritten = await this.#ensureLogin();
    output.line(`${INDENT}home     ${this.home}${this.#temporaryHome ? ' (temporary)' : ''}`);
    output.line(
      `${INDENT}login    ${loginWritten ? `demo user ${DEMO_USER.userId} (workspace ${DEMO_USER.accountId}), written to auth.json` : 'the one already in auth.json'}`,
    );

    const commonArgs = [
      '--home',
      this.home,
      '--base-url',
      this.baseUrl,
      '--responses-url',
      this.responsesBase,
      ...(settings.debug ? ['--debug'] : []),
    ];
    const run = new DemoRun(
      {
        home: this.home,
        baseUrl: this.baseUrl,
        responsesBase: this.responsesBase,
        admin: this.#admin,
        gateway: this.#gateway,
        children: new ChildCli(io.self, commonArgs),
        logger: cliLogger(io, settings.debug),
      },
      output,
    );
    const result = await run.run();
    output.line();
    output.line('All steps passed.');
    return result;
  }

  async close(): Promise<void> {
    const { output, flags } = this.#invocation;
    await this.#gateway?.close();
    await this.#backend?.close();
    if (!this.#temporaryHome) return;
    if (flags.keep === true) {
      output.line(`The demo's Codex home is kept: ${this.home}`);
    } else {
      await rm(this.home, { recursive: true, force: true });
      output.line('(the temporary Codex home was removed; --keep keeps it)');
    }
  }

  /** The demo user's login, unless the home already has one. Resolves to whether it wrote it. */
  async #ensureLogin(): Promise<boolean> {
    try {
      await access(authFilePath(this.home));
      return false;
    } catch {
      await writeDemoLogin(this.home, DEMO_USER, Date.now());
      return true;
    }
  }
}

function jsonSummary(environment: DemoEnvironment, result: DemoResult): unknown {
  return {
    backend: { base_url: environment.baseUrl, embedded: environment.embedded, admin: environment.admin !== undefined },
    gateway: environment.gatewayUrl ?? null,
    home: environment.home,
    threads: result.threads.map(({ label, threadId, task }) => ({
      label,
      thread_id: threadId,
      agent_task: wireAgentTask(task),
    })),
    steps: result.steps.map((step) => ({
      step: step.number,
      title: step.title,
      ms: step.ms === undefined ? null : Math.round(step.ms),
      skipped: step.skipped ?? null,
      identity_registrations: step.counts?.identityRegistrations ?? null,
      task_registrations: step.counts?.taskRegistrations ?? null,
      requests_accepted: step.counts?.requestsAccepted ?? null,
      requests_refused: step.counts?.requestsRefused ?? null,
    })),
    backend_counters: result.backendCounters ?? null,
  };
}
